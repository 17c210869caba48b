package dev.agentmemory.spring.boot;

import dev.agentmemory.core.AgentMemorySystem;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The health contributor {@code agentMemory} ({@link AgentMemoryHealthIndicator}), when the
 * actuator's health support is on the class path; {@code management.health.agentmemory.enabled=false}
 * turns it off. It checks the application's own memory as well as the auto-configured one.
 */
@AutoConfiguration(after = AgentMemoryAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnSingleCandidate(AgentMemorySystem.class)
@ConditionalOnEnabledHealthIndicator("agentmemory")
public class AgentMemoryHealthAutoConfiguration {

    /**
     * @param memory the memory
     * @param properties for the timeout
     * @return the health indicator, named {@code agentMemory}
     */
    @Bean
    @ConditionalOnMissingBean(name = "agentMemoryHealthIndicator")
    public AgentMemoryHealthIndicator agentMemoryHealthIndicator(AgentMemorySystem memory,
                                                                 AgentMemoryProperties properties) {
        return new AgentMemoryHealthIndicator(memory, properties.getHealthTimeout());
    }
}
