package dev.agentmemory.spring.boot;

import dev.agentmemory.core.AgentMemorySystem;
import dev.agentmemory.micrometer.AgentMemoryMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The memory's meters ({@link AgentMemoryMetrics}: {@code agent.memory.remember},
 * {@code agent.memory.recall}, {@code agent.memory.outcome}, {@code agent.memory.embedding},
 * {@code agent.memory.embeddings.pending}, the embedder's circuit, tagged {@code store} and
 * {@code embedder}) when the application has a {@link MeterRegistry}. With Spring Boot's metrics
 * support (the actuator) the binding is a {@code MeterBinder} bean, which Boot binds to its
 * registries; without it, the binding is made here on the one registry bean. Either way it is
 * closed with the context.
 */
@AutoConfiguration(after = AgentMemoryAutoConfiguration.class, afterName =
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnSingleCandidate(AgentMemorySystem.class)
public class AgentMemoryMetricsAutoConfiguration {

    static final String BOOT_METRICS = "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration";

    /** Spring Boot binds every {@code MeterBinder} bean to its registries. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = BOOT_METRICS)
    static class BoundByBoot {

        /**
         * @param memory the memory to measure
         * @return its meters, which Spring Boot binds
         */
        @Bean
        @ConditionalOnMissingBean
        AgentMemoryMetrics agentMemoryMetrics(AgentMemorySystem memory) {
            return new AgentMemoryMetrics(memory, Tags.empty());
        }
    }

    /** A registry of the application's own, without Spring Boot's metrics support to bind to it. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass(BOOT_METRICS)
    @ConditionalOnSingleCandidate(MeterRegistry.class)
    static class BoundHere {

        /**
         * @param memory the memory to measure
         * @param registry the application's registry
         * @return its meters, bound to that registry
         */
        @Bean
        @ConditionalOnMissingBean
        AgentMemoryMetrics agentMemoryMetrics(AgentMemorySystem memory, MeterRegistry registry) {
            AgentMemoryMetrics metrics = new AgentMemoryMetrics(memory, Tags.empty());
            metrics.bindTo(registry);
            return metrics;
        }
    }
}
