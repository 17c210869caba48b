package dev.agentmemory.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.api.EmbeddingException;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.RecallResult;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.core.AgentMemory;
import dev.agentmemory.core.AgentMemorySystem;
import dev.agentmemory.core.MemorySettings;
import dev.agentmemory.embedding.ollama.EmbeddingClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The three promises of issue 12 on every backend, through {@link AgentMemorySystem} as an agent
 * calls it, with the real local model and a real embedding service: recall finds a near situation
 * whose fields differ on one side; an outcome recorded by many callers at once and again counts
 * once; a write and a backfill during and after an outage of the embedder each end in time (the
 * times are printed). The PostgreSQL test adds the outage of the database.
 */
abstract class MemoryPromisesContract {

    /** @return a builder with the backend set, on an empty store */
    protected abstract AgentMemory.Builder backend();

    /** @return a short name of the backend for the printed times */
    protected abstract String backendName();

    static Episode decision(String project, Map<String, Object> perception, List<UUID> strategies) {
        List<String> ids = strategies.stream().map(UUID::toString).toList();
        return Episode.builder(project).perception(perception).reasoning(Map.of("why", "a test"))
                .action(Map.of("sprint_created", true, "tasks_assigned", 4, "applied_strategies", ids))
                .sprintId(project + "-sprint").build();
    }

    @Test
    void recallFindsANearSituationWhoseFieldsDifferOnOneSide() {
        try (AgentMemorySystem memory = backend().build()) {
            UUID stored = memory.rememberDecision(decision("near", Map.of("queue", 30, "team_size", 5,
                    "team_availability", Map.of("status", "available")), List.of()));
            memory.rememberDecision(decision("elsewhere", Map.of("queue", 28, "team_size", 5), List.of()));
            Map<String, Object> now = Map.of("queue", 28, "team_size", 5, "open_incidents", 0, "sprint_length", 10);

            List<Episode> recalled = memory.recallSimilarSituations(now, "near", 5);
            List<RecallResult> scored = memory.recallScored(now, "near", 5);

            System.out.printf("one-sided fields (%s): %s%n", backendName(), scored.isEmpty() ? "nothing recalled"
                    : "vector " + scored.get(0).vectorSimilarity() + ", structured " + scored.get(0).structuredSimilarity()
                    + ", score " + scored.get(0).score());
            assertThat(recalled).extracting(Episode::episodeId).containsExactly(stored);
            RecallResult r = scored.get(0);
            assertThat(r.episode().episodeId()).isEqualTo(stored);
            assertThat(r.vectorSimilarity()).isGreaterThanOrEqualTo(memory.settings().minSimilarity());
            // similarity means one thing: the vector similarity, in the store and in recall.
            assertThat(recalled.get(0).similarity()).isEqualTo(r.vectorSimilarity());
            // queue and team_size, the fields both have, are compared (team_size equal: 1; queue at the
            // far end of the candidates' range: 0); the fields of one side only are not held against it.
            assertThat(r.structuredSimilarity()).isEqualTo(0.5);
            assertThat(r.score()).isBetween(0.0, 1.0);
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void outcomesRecordedConcurrentlyAndRepeatedlyCountEachEpisodeOnce() throws Exception {
        try (AgentMemorySystem memory = backend().build()) {
            UUID strategy = memory.knowledge().storeStrategy(Strategy.builder("start a sprint when the queue is long")
                    .content(Map.of("recommendation", Map.of("sprint_created", true))).build(), null);
            List<UUID> episodes = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                episodes.add(memory.rememberDecision(decision("evidence", Map.of("queue", 20 + i), List.of(strategy))));
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                for (UUID e : episodes) {
                    CountDownLatch go = new CountDownLatch(1);
                    List<Future<?>> runs = new ArrayList<>();
                    for (int t = 0; t < 8; t++) {
                        runs.add(pool.submit(() -> {
                            go.await();
                            memory.recordOutcome(e, Map.of("completed", 4), 0.9);
                            return null;
                        }));
                    }
                    go.countDown();
                    for (Future<?> f : runs) {
                        f.get(1, TimeUnit.MINUTES);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            for (UUID e : episodes) {
                memory.recordOutcome(e, Map.of("completed", 4), 0.9);
            }
            Strategy after = memory.knowledge().getStrategy(strategy).orElseThrow();
            System.out.printf("evidence (%s): %d applications, %d successes after 20 x (8 concurrent + 1)%n",
                    backendName(), after.timesApplied(), after.successCount());
            assertThat(after.timesApplied()).isEqualTo(20);
            assertThat(after.successCount()).isEqualTo(20);

            memory.recordOutcome(episodes.get(0), Map.of("completed", 0), 0.1);
            Strategy moved = memory.knowledge().getStrategy(strategy).orElseThrow();
            assertThat(moved.timesApplied()).isEqualTo(20);
            assertThat(moved.successCount()).isEqualTo(19);
            assertThat(moved.failureCount()).isEqualTo(1);
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aWriteAndABackfillDuringAndAfterAnEmbedderOutageEachEndInTime() throws Exception {
        try (ServeEmbeddingsProcess server = ServeEmbeddingsProcess.onFreePort("promises-" + backendName())) {
            server.start();
            // The client's defaults but for one retry: the circuit breaker stays open 30 s.
            try (EmbeddingClient client = EmbeddingClient.builder(server.baseUrl()).maxRetries(1)
                    .retryBackoff(Duration.ofMillis(50)).expectedDimensions(384).build();
                 AgentMemorySystem memory = backend().embedder(client)
                         .settings(MemorySettings.builder().embeddingCacheSize(0).build()).build()) {
                memory.rememberDecision(decision("outage", Map.of("queue", 1), List.of()));
                server.kill();

                List<UUID> during = new ArrayList<>();
                long writeDuring = timed(() -> during.add(memory.rememberDecision(
                        decision("outage", Map.of("queue", 2), List.of()))));
                for (int i = 3; i < 12; i++) {
                    during.add(memory.rememberDecision(decision("outage", Map.of("queue", i), List.of())));
                }
                long start = System.nanoTime();
                EmbeddingException refused = null;
                try {
                    memory.backfillEmbeddings();
                } catch (EmbeddingException e) {
                    refused = e;
                }
                long backfillDuringMs = (System.nanoTime() - start) / 1_000_000;
                assertThat(refused).isNotNull().hasMessageContaining("health check");
                assertThat(memory.episodes().countEpisodesPendingEmbedding()).isEqualTo(during.size());

                server.start();
                int[] embedded = {0};
                long backfillAfter = timed(() -> embedded[0] = memory.backfillEmbeddings());
                long writeAfter = timed(() -> memory.rememberDecision(decision("outage", Map.of("queue", 40), List.of())));

                System.out.printf("embedder outage (%s): write during %d ms (stored pending), backfill during %d ms"
                                + " (refused), backfill after %d ms (%d embedded), write after %d ms%n", backendName(),
                        writeDuring, backfillDuringMs, backfillAfter, embedded[0], writeAfter);
                assertThat(embedded[0]).isEqualTo(during.size());
                assertThat(memory.episodes().countEpisodesPendingEmbedding()).isZero();
                assertThat(writeDuring).isLessThan(10_000);
                assertThat(backfillDuringMs).isLessThan(10_000);
            }
        }
    }

    static long timed(Runnable r) {
        long start = System.nanoTime();
        r.run();
        return (System.nanoTime() - start) / 1_000_000;
    }
}
