package dev.agentmemory.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.api.AgentMemoryStore;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.EpisodeFilter;
import dev.agentmemory.api.KnowledgeStore;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.api.WorkingMemory;
import dev.agentmemory.api.WorkingMemory.UpdateMode;
import dev.agentmemory.api.WorkingMemorySession;
import dev.agentmemory.api.spi.MemoryStores;
import dev.agentmemory.api.spi.StoreConfig;
import dev.agentmemory.postgres.PostgresStoreProvider;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 64 threads, 20,000 mixed operations (episodes, searches on both the exact and the HNSW path,
 * outcomes, batches, working memory, strategies) through pgbouncer 1.18 in transaction pooling
 * mode, which keeps no prepared statement and no session setting across transactions: not one
 * error. pgbouncer hands the pool's 64 connections at most {@code default_pool_size} (20) server
 * connections; the rest queue inside pgbouncer.
 *
 * <p>It runs in its own database ({@code agent_memory_test_load}, made by
 * scripts/setup-postgres.sh), because pgbouncer passes no {@code search_path} and the default
 * database's {@code public} schema belongs to {@link PgbouncerIT}.
 */
class PgbouncerLoadIT {

    private static final int THREADS = 64;
    private static final int OPERATIONS = 20_000;
    private static final int DIMENSIONS = 16;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void sixtyFourThreadsRunTwentyThousandMixedOperationsThroughPgbouncerWithoutAnError() throws Exception {
        String direct = TestDatabase.LOAD_JDBC_URL;
        try (Connection c = DriverManager.getConnection(direct, TestDatabase.USER, TestDatabase.PASSWORD);
             Statement s = c.createStatement()) {
            s.execute("SET client_min_messages = warning");
            s.execute("DROP TABLE IF EXISTS agent_strategy_applications, agent_episodes, agent_knowledge, agent_working_memory,"
                    + " agent_memory_meta, agent_memory_schema_history CASCADE");
        }
        AtomicInteger done = new AtomicInteger();
        AtomicInteger stored = new AtomicInteger();
        Queue<String> errors = new ConcurrentLinkedQueue<>();
        AtomicInteger errorCount = new AtomicInteger();
        try (MemoryStores stores = new PostgresStoreProvider().open(StoreConfig.builder()
                .dimensions(DIMENSIONS)
                .jdbcUrl(TestDatabase.LOAD_PGBOUNCER_JDBC_URL)
                .username(TestDatabase.USER)
                .password(TestDatabase.PASSWORD)
                .property(PostgresStoreProvider.PGBOUNCER, "true")
                .property(PostgresStoreProvider.MIGRATION_JDBC_URL, direct)
                .property(PostgresStoreProvider.POOL_SIZE, Integer.toString(THREADS))
                // Searches across all projects take the HNSW path (its settings live in the
                // query's transaction) once more than 300 episodes are stored.
                .property(PostgresStoreProvider.EXACT_SCAN_MAX, "300")
                .build())) {
            KnowledgeStore knowledge = stores.knowledge().orElseThrow();
            UUID strategy = knowledge.storeStrategy(Strategy.builder("load").conditions("backlog_tasks >= 5")
                    .confidence(0.8).build(), vector(new Random(1)));
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            CountDownLatch start = new CountDownLatch(1);
            try {
                List<Future<?>> runs = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    int share = OPERATIONS / THREADS + (t < OPERATIONS % THREADS ? 1 : 0);
                    runs.add(pool.submit(() -> {
                        start.await();
                        Worker w = new Worker(stores, strategy, thread);
                        for (int i = 0; i < share; i++) {
                            try {
                                stored.addAndGet(w.operation(i));
                            } catch (Throwable e) {
                                errorCount.incrementAndGet();
                                if (errors.size() < 10) {
                                    errors.add("thread " + thread + " op " + i % 10 + ": " + e);
                                }
                            }
                            done.incrementAndGet();
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> run : runs) {
                    run.get(4, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
            System.out.printf("pgbouncer load: %d threads, %d operations, %d errors, %d episodes stored%n",
                    THREADS, done.get(), errorCount.get(), stored.get());

            assertThat(errors).as("errors through pgbouncer").isEmpty();
            assertThat(done.get()).isEqualTo(OPERATIONS);
            assertThat(stores.episodes().countEpisodes(null)).isEqualTo(stored.get());
        }
    }

    /** One thread's operations, cycling through ten kinds; each returns how many episodes it stored. */
    private static final class Worker {
        private final AgentMemoryStore episodes;
        private final KnowledgeStore knowledge;
        private final WorkingMemory memory;
        private final UUID strategy;
        private final String project;
        private final Random random;
        private final List<UUID> mine = new ArrayList<>();
        private WorkingMemorySession session;

        Worker(MemoryStores stores, UUID strategy, int thread) {
            this.episodes = stores.episodes();
            this.knowledge = stores.knowledge().orElseThrow();
            this.memory = stores.workingMemory().orElseThrow();
            this.strategy = strategy;
            this.project = "load-" + thread % 16;
            this.random = new Random(thread);
        }

        int operation(int i) {
            switch (i % 10) {
                case 0 -> {
                    mine.add(episodes.storeEpisode(episode(i).build(), vector(random)));
                    return 1;
                }
                case 1 -> assertThat(episodes.getEpisodeById(last())).isPresent();
                case 2 -> episodes.findSimilarEpisodes(vector(random), project, 10, 0.0);
                case 3 -> episodes.updateEpisodeOutcome(last(), Map.of("completed", i), random.nextDouble());
                case 4 -> episodes.getEpisodesByProject(project, 20, null);
                case 5 -> episodes.findSimilarEpisodesMatching(vector(random), EpisodeFilter.ALL, 10, -1.0);
                case 6 -> {
                    if (session == null) {
                        session = memory.createSession(project, Map.of("step", 0), Duration.ofMinutes(10));
                    } else {
                        session = memory.updateSession(session.sessionId(), session.version(), Map.of("step", i),
                                UpdateMode.MERGE);
                    }
                }
                case 7 -> knowledge.getApplicableStrategies(Map.of("backlog_tasks", 7), vector(random), 0.0, 10);
                case 8 -> {
                    List<UUID> ids = episodes.storeEpisodes(List.of(episode(i).build(), episode(i + 1).build()),
                            Arrays.asList(vector(random), null));
                    mine.addAll(ids);
                    return 2;
                }
                default -> {
                    if (i % 20 == 9) {
                        knowledge.recordApplication(strategy, last(), random.nextBoolean());
                    } else {
                        episodes.countEpisodes(project);
                        episodes.countEpisodesPendingEmbedding();
                    }
                }
            }
            return 0;
        }

        private UUID last() {
            return mine.get(mine.size() - 1);
        }

        private Episode.Builder episode(int i) {
            return Episode.builder(project).perception(Map.of("backlog_tasks", i % 30, "load", true))
                    .reasoning(Map.of("why", "load test")).action(Map.of("sprint_created", i % 2 == 0))
                    .sprintId("s" + i);
        }
    }

    private static float[] vector(Random random) {
        float[] v = new float[DIMENSIONS];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextFloat() * 2 - 1;
        }
        v[0] += 0.01f;
        return v;
    }
}
