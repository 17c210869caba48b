package dev.agentmemory.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.api.Episode;
import dev.agentmemory.core.AgentMemory;
import dev.agentmemory.core.AgentMemorySystem;
import dev.agentmemory.embedding.ollama.EmbeddingClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AgentMemoryMetricsTest {

    private static Map<String, Object> situation(int backlog, String availability) {
        return Map.of("backlog_tasks", backlog, "team_size", 4, "team_availability", availability);
    }

    private static Episode decision(Map<String, Object> perception) {
        return Episode.builder("alpha").perception(perception).reasoning(Map.of("summary", "rule"))
                .action(Map.of("sprint_created", true)).sprintId("alpha-1").build();
    }

    @Test
    void rememberRecallAndOutcomeAreTimedWithTheStoreAndEmbedderAsTagsInThePrometheusText() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (AgentMemorySystem memory = AgentMemory.builder().build()) {     // in memory, local model
            AgentMemoryMetrics metrics = AgentMemoryMetrics.bind(memory, registry);
            assertThat(metrics.tags()).isEqualTo(Tags.of("store", "inmemory", "embedder", memory.embedder().modelName()));

            UUID id = memory.rememberDecision(decision(situation(14, "available")));
            memory.rememberDecisions(List.of(decision(situation(20, "partial")), decision(situation(30, "partial"))));
            memory.recallSimilarSituations(situation(14, "available"), "alpha", 5);
            memory.recallSimilarSituations(situation(15, "available"), null, 5);
            memory.recordOutcome(id, Map.of("completed", 8), 0.9);

            assertThat(registry.get(MicrometerMemoryListener.REMEMBER).tag("embedded", "true").timer().count()).isEqualTo(2);
            assertThat(registry.get(MicrometerMemoryListener.EPISODES).tag("embedded", "true").counter().count()).isEqualTo(3);
            assertThat(registry.get(MicrometerMemoryListener.RECALL).timer().count()).isEqualTo(2);
            assertThat(registry.get(MicrometerMemoryListener.OUTCOME).timer().count()).isEqualTo(1);
            // Three situations and one new context reached the model; the first context was cached.
            assertThat(registry.get(MicrometerMemoryListener.EMBEDDING).timer().count()).isEqualTo(3);
            assertThat(registry.get(MicrometerMemoryListener.EMBEDDED_TEXTS).counter().count()).isEqualTo(4);
            assertThat(registry.get(MicrometerMemoryListener.RECALL).timer().totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
            assertThat(registry.get(AgentMemoryMetrics.PENDING).gauge().value()).isZero();
            // The local model has no circuit breaker, so there is no such gauge.
            assertThat(registry.find(AgentMemoryMetrics.CIRCUIT).gauges()).isEmpty();

            String text = registry.scrape();
            String model = memory.embedder().modelName();
            assertThat(text).contains("agent_memory_remember_seconds_count{embedded=\"true\",embedder=\"" + model
                    + "\",store=\"inmemory\"} 2");
            assertThat(text).contains("agent_memory_recall_seconds_count{embedder=\"" + model + "\",store=\"inmemory\"} 2");
            assertThat(text).contains("agent_memory_outcome_seconds_count{embedder=\"" + model + "\",store=\"inmemory\"} 1");
            assertThat(text).contains("agent_memory_embeddings_pending{embedder=\"" + model + "\",store=\"inmemory\"} 0");

            metrics.close();
            memory.rememberDecision(decision(situation(40, "available")));
            assertThat(registry.find(MicrometerMemoryListener.REMEMBER).timers()).isEmpty();
            assertThat(registry.find(AgentMemoryMetrics.PENDING).gauges()).isEmpty();
        }
    }

    @Test
    void whileTheEmbeddingServiceIsDownThePendingGaugeCountsTheEpisodesAndTheCircuitGaugeShowsItOpen() {
        MeterRegistry registry = new SimpleMeterRegistry();
        // A real client against a loopback port where nothing listens: connection refused.
        try (EmbeddingClient down = EmbeddingClient.builder("http://127.0.0.1:9").timeout(Duration.ofSeconds(1))
                .maxRetries(0).expectedDimensions(384).circuitBreakerWindow(2).build();
             AgentMemorySystem memory = AgentMemory.builder().embedder(down).build()) {
            AgentMemoryMetrics.bind(memory, registry);
            assertThat(registry.get(AgentMemoryMetrics.CIRCUIT).tag("state", "closed").gauge().value()).isEqualTo(1);
            assertThat(registry.get(AgentMemoryMetrics.CIRCUIT).tag("state", "open").gauge().value()).isZero();

            for (int i = 0; i < 3; i++) {
                memory.rememberDecision(decision(situation(10 + i, "available")));
            }

            assertThat(registry.get(MicrometerMemoryListener.REMEMBER).tag("embedded", "false").timer().count()).isEqualTo(3);
            assertThat(registry.get(MicrometerMemoryListener.REMEMBER).tag("embedded", "true").timer().count()).isZero();
            assertThat(registry.get(AgentMemoryMetrics.PENDING).gauge().value()).isEqualTo(3);
            assertThat(registry.get(AgentMemoryMetrics.CIRCUIT).tag("state", "open").gauge().value()).isEqualTo(1);
            assertThat(registry.get(AgentMemoryMetrics.CIRCUIT).tag("state", "closed").gauge().value()).isZero();
            assertThat(registry.get(MicrometerMemoryListener.EMBEDDING).timer().count()).isZero();
            // The service never named its model.
            assertThat(registry.get(AgentMemoryMetrics.PENDING).gauge().getId().getTag("embedder")).isEqualTo("unknown");
        }
    }
}
