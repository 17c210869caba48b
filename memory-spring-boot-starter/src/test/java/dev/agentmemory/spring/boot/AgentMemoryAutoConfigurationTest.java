package dev.agentmemory.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.api.ConfigurationException;
import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.core.AgentMemory;
import dev.agentmemory.core.AgentMemorySystem;
import dev.agentmemory.core.MemoryListener;
import dev.agentmemory.micrometer.AgentMemoryMetrics;
import dev.agentmemory.spring.ai.AgentMemoryTools;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The auto-configuration as the application context sees it: what the properties make, when it
 * backs off, what it refuses, and which parts stay away when their library is absent.
 */
class AgentMemoryAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AgentMemoryAutoConfiguration.class,
                    AgentMemoryHealthAutoConfiguration.class, AgentMemoryMetricsAutoConfiguration.class,
                    dev.agentmemory.spring.ai.AgentMemoryToolsAutoConfiguration.class));

    @Test
    void withoutPropertiesTheMemoryIsInMemoryOnTheLocalModel() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(AgentMemorySystem.class);
            AgentMemorySystem memory = context.getBean(AgentMemorySystem.class);
            assertThat(memory.describe()).startsWith("inmemory");
            assertThat(memory.embedder().dimensions()).isEqualTo(LocalModel.get().dimensions());
            assertThat(memory.embedder().modelName()).isEqualTo(LocalModel.get().modelName());
            assertThat(memory.settings().minSimilarity()).isEqualTo(0.7);
        });
    }

    @Test
    void propertiesReachTheMemoryAndItsStore() {
        runner.withPropertyValues("agent-memory.min-similarity=0.82", "agent-memory.backfill-interval=3s",
                        "agent-memory.store-properties.knowledge.confidence-floor=0.35",
                        "agent-memory.store-properties.knowledge.min-applications=7")
                .run(context -> {
                    AgentMemorySystem memory = context.getBean(AgentMemorySystem.class);
                    assertThat(memory.settings().minSimilarity()).isEqualTo(0.82);
                    assertThat(memory.settings().backfillInterval()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(memory.describe()).contains("confidence floor 0.35 after 7 applications");
                });
    }

    @Test
    void anUnknownStoreStopsTheApplicationNamingTheStoresThereAre() {
        runner.withPropertyValues("agent-memory.store=cassandra").run(context -> {
            assertThat(context).hasFailed();
            ConfigurationException e = rootMemoryException(context.getStartupFailure(), ConfigurationException.class);
            assertThat(e.getMessage()).contains("cassandra").contains("inmemory").contains("postgres");
        });
    }

    @Test
    void anUnknownStorePropertyStopsTheApplicationNamingIt() {
        runner.withPropertyValues("agent-memory.store-properties.knowledge.confidence-flor=0.3").run(context -> {
            assertThat(context).hasFailed();
            InvalidInputException e = rootMemoryException(context.getStartupFailure(), InvalidInputException.class);
            assertThat(e.getMessage()).contains("knowledge.confidence-flor");
        });
    }

    @Test
    void aSimilarityOutsideItsRangeStopsTheApplicationNamingIt() {
        runner.withPropertyValues("agent-memory.min-similarity=1.5").run(context -> {
            assertThat(context).hasFailed();
            InvalidInputException e = rootMemoryException(context.getStartupFailure(), InvalidInputException.class);
            assertThat(e.getMessage()).contains("minSimilarity").contains("1.5");
        });
    }

    @Test
    void postgresWithoutADataSourceStopsTheApplicationSayingWhatIsMissing() {
        runner.withPropertyValues("agent-memory.store=postgres").run(context -> {
            assertThat(context).hasFailed();
            ConfigurationException e = rootMemoryException(context.getStartupFailure(), ConfigurationException.class);
            assertThat(e.getMessage()).contains("DataSource").contains("spring.datasource.url");
        });
    }

    @Test
    void theApplicationsOwnMemoryReplacesTheStartersAndStillGetsHealthToolsAndMeters() {
        runner.withUserConfiguration(OwnMemory.class, Registry.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(AgentMemorySystem.class);
            AgentMemorySystem memory = context.getBean(AgentMemorySystem.class);
            assertThat(memory).isSameAs(context.getBean(OwnMemory.class).memory);
            assertThat(memory.settings().minSimilarity()).isEqualTo(0.42);
            assertThat(context).hasSingleBean(AgentMemoryHealthIndicator.class)
                    .hasSingleBean(AgentMemoryTools.class).hasSingleBean(AgentMemoryMetrics.class);
        });
    }

    @Test
    void anEmbedderAndListenersOfTheApplicationAreUsed() {
        runner.withUserConfiguration(OwnEmbedderAndListener.class).run(context -> {
            AgentMemorySystem memory = context.getBean(AgentMemorySystem.class);
            OwnEmbedderAndListener own = context.getBean(OwnEmbedderAndListener.class);
            memory.rememberDecision(Episode.builder("p").perception(Map.of("backlog", 12))
                    .reasoning(Map.of()).action(Map.of("sprint_created", true)).build());
            assertThat(own.embedded).hasPositiveValue();
            assertThat(own.remembered).hasValue(1);
        });
    }

    @Test
    void closingTheContextClosesTheMemory() throws Exception {
        AgentMemorySystem[] seen = new AgentMemorySystem[1];
        runner.withPropertyValues("agent-memory.backfill-interval=1h").run(context -> {
            seen[0] = context.getBean(AgentMemorySystem.class);
            assertThat(backfillThreads()).isNotEmpty();
        });
        // The memory's background backfill runs until the memory is closed.
        for (Thread t : backfillThreads()) {
            t.join(5_000);
        }
        assertThat(backfillThreads()).isEmpty();
        assertThat(seen[0]).isNotNull();
    }

    @Test
    void theNamedServiceEmbedderAtItsUrlIsMeasuredWithItsCircuitOnBootsRegistry() throws Exception {
        try (EmbeddingService service = EmbeddingService.start(LocalModel.get())) {
            runner.withConfiguration(AutoConfigurations.of(METRICS))
                    .withPropertyValues("agent-memory.embedder=service", "agent-memory.embedding-url=" + service.url())
                    .run(context -> {
                        AgentMemorySystem memory = context.getBean(AgentMemorySystem.class);
                        memory.rememberDecision(Episode.builder("svc").perception(Map.of("backlog", 3))
                                .reasoning(Map.of()).action(Map.of("sprint_created", false)).build());
                        MeterRegistry registry = context.getBean(MeterRegistry.class);
                        String model = LocalModel.get().modelName();
                        assertThat(registry.get("agent.memory.remember").tags("store", "inmemory", "embedder", model)
                                .timers()).extracting(t -> t.count()).contains(1L);
                        assertThat(registry.get("agent.memory.embedder.circuit").tag("state", "closed").gauge().value())
                                .isEqualTo(1.0);
                        assertThat(registry.get("agent.memory.embedder.circuit").tag("state", "open").gauge().value())
                                .isZero();
                        assertThat(context.getBean(AgentMemoryHealthIndicator.class).health().getDetails())
                                .containsEntry("embedderCircuit", "closed").containsEntry("embedder", model);
                    });
        }
    }

    @Test
    void withoutBootsMetricsSupportTheMetersAreBoundToTheApplicationsRegistry() {
        runner.withUserConfiguration(Registry.class)
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.micrometer.metrics"))
                .run(context -> {
                    AgentMemorySystem memory = context.getBean(AgentMemorySystem.class);
                    memory.recallSimilarSituations(Map.of("backlog", 4), null, 3);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get("agent.memory.recall").tag("store", "inmemory").timer().count())
                            .isEqualTo(1);
                });
    }

    @Test
    void withoutAMeterRegistryThereAreNoMeters() {
        runner.run(context -> assertThat(context).doesNotHaveBean(AgentMemoryMetrics.class));
    }

    @Test
    void withoutSpringAiOnTheClassPathThereAreNoToolsAndTheMemoryStillWorks() {
        runner.withClassLoader(new FilteredClassLoader(ToolCallbackProvider.class)).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(AgentMemorySystem.class)
                    .doesNotHaveBean(AgentMemoryTools.class).doesNotHaveBean("agentMemoryToolCallbacks");
        });
    }

    @Test
    void toolsCanBeTurnedOff() {
        runner.withPropertyValues("agent-memory.tools.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean(AgentMemoryTools.class)
                        .doesNotHaveBean(ToolCallbackProvider.class));
    }

    @Test
    void withoutTheActuatorsHealthThereIsNoHealthIndicatorAndTheMemoryStillWorks() {
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class)).run(context ->
                assertThat(context).hasNotFailed().hasSingleBean(AgentMemorySystem.class)
                        .doesNotHaveBean(AgentMemoryHealthIndicator.class));
    }

    /** Spring Boot's own metrics auto-configuration, which binds MeterBinder beans to its registry. */
    private static final String[] METRICS_NAMES = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"};
    private static final Class<?>[] METRICS = java.util.Arrays.stream(METRICS_NAMES).map(n -> {
        try {
            return Class.forName(n);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }).toArray(Class<?>[]::new);

    private static List<Thread> backfillThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("agent-memory-backfill") && t.isAlive()).toList();
    }

    static <T extends Throwable> T rootMemoryException(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + failure, failure);
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnMemory {
        final AgentMemorySystem memory = AgentMemory.builder().embedder(LocalModel.get()).minSimilarity(0.42).build();

        @Bean
        AgentMemorySystem myMemory() {
            return memory;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Registry {
        @Bean
        MeterRegistry registry() {
            return new SimpleMeterRegistry();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnEmbedderAndListener {
        final AtomicInteger embedded = new AtomicInteger();
        final AtomicInteger remembered = new AtomicInteger();

        @Bean
        Embedder countingEmbedder() {
            return new LocalModel.Counting(LocalModel.get(), embedded);
        }

        @Bean
        MemoryListener countingListener() {
            return new MemoryListener() {
                @Override
                public void onRemember(Duration took, int episodes, boolean wasEmbedded) {
                    remembered.addAndGet(episodes);
                }
            };
        }
    }
}
