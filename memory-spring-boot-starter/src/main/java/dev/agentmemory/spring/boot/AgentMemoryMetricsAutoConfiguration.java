package dev.agentmemory.spring.boot;

import dev.agentmemory.core.AgentMemorySystem;
import dev.agentmemory.micrometer.AgentMemoryMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;

/**
 * The memory's meters ({@link AgentMemoryMetrics}: {@code agent.memory.remember},
 * {@code agent.memory.recall}, {@code agent.memory.outcome}, {@code agent.memory.embedding},
 * {@code agent.memory.embeddings.pending}, the embedder's circuit, tagged {@code store} and
 * {@code embedder}) when the application has a {@link MeterRegistry}, as the actuator gives it.
 * The binding is a {@code MeterBinder} bean, which Spring Boot binds to its registry; it is
 * closed with the context.
 */
@AutoConfiguration(after = AgentMemoryAutoConfiguration.class, afterName =
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnSingleCandidate(AgentMemorySystem.class)
public class AgentMemoryMetricsAutoConfiguration {

    /**
     * @param memory the memory to measure
     * @return its meters, bound by Spring Boot to the application's registry
     */
    @Bean
    @ConditionalOnMissingBean
    public AgentMemoryMetrics agentMemoryMetrics(AgentMemorySystem memory) {
        return new AgentMemoryMetrics(memory, Tags.empty());
    }
}
