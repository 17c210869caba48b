package dev.agentmemory.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.api.AgentMemoryStore;
import dev.agentmemory.api.ConflictException;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.EpisodeFilter;
import dev.agentmemory.api.KnowledgeStore;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.api.StrategyQuery;
import dev.agentmemory.api.WorkingMemory;
import dev.agentmemory.api.WorkingMemory.UpdateMode;
import dev.agentmemory.api.WorkingMemorySession;
import dev.agentmemory.api.spi.MemoryStores;
import dev.agentmemory.api.spi.StoreConfig;
import dev.agentmemory.postgres.PostgresStoreProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every store operation through pgbouncer in transaction pooling mode (127.0.0.1:6432, started by
 * scripts/setup-postgres.sh --pgbouncer), with the provider's {@code pgbouncer=true}. Several
 * threads run each operation more often than the driver's default prepare threshold, so a
 * server-side prepared statement, which transaction pooling loses between transactions, would
 * show. Migrations go to the server directly ({@code migration.jdbc-url}).
 *
 * <p>pgbouncer passes no {@code search_path} from the client, so this test works in the test
 * database's {@code public} schema, whose agent-memory tables it drops first.
 */
class PgbouncerIT {

    private static final int DIMENSIONS = 16;
    private static MemoryStores stores;

    @BeforeAll
    static void openThroughPgbouncer() {
        TestDatabase.execute("DROP TABLE IF EXISTS public.agent_strategy_applications, public.agent_episodes, public.agent_knowledge,"
                + " public.agent_working_memory, public.agent_memory_meta, public.agent_memory_schema_history CASCADE");
        stores = new PostgresStoreProvider().open(StoreConfig.builder()
                .dimensions(DIMENSIONS)
                .jdbcUrl(TestDatabase.PGBOUNCER_JDBC_URL)
                .username(TestDatabase.USER)
                .password(TestDatabase.PASSWORD)
                .migrate(true)
                .property(PostgresStoreProvider.PGBOUNCER, "true")
                .property(PostgresStoreProvider.MIGRATION_JDBC_URL, TestDatabase.JDBC_URL)
                .property(PostgresStoreProvider.POOL_SIZE, "4")
                // Every search takes the HNSW path, whose settings live in the query's transaction.
                .property(PostgresStoreProvider.EXACT_SCAN_MAX, "0")
                .build());
    }

    @AfterAll
    static void close() {
        stores.close();
    }

    @Test
    void describeShowsThePgbouncerAddressAndNoPassword() {
        assertThat(stores.describe()).contains(":6432/").contains("through pgbouncer")
                .doesNotContain(TestDatabase.PASSWORD + "@");
    }

    @Test
    void everyStoreOperationWorksThroughPgbouncerInTransactionMode() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String project = "bouncer-" + t;
                runs.add(pool.submit(() -> {
                    for (int round = 0; round < 8; round++) {
                        episodes(stores.episodes(), project + "-" + round);
                        knowledge(stores.knowledge().orElseThrow(), round);
                        workingMemory(stores.workingMemory().orElseThrow(), project);
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get(300, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void episodes(AgentMemoryStore store, String project) {
        UUID first = store.storeEpisode(episode(project, 1).sprintId("s1").build(), unit(0));
        assertThat(store.storeEpisode(episode(project, 1).episodeId(first).build(), unit(0))).isEqualTo(first);
        List<UUID> batch = store.storeEpisodes(List.of(episode(project, 2).build(), episode(project, 3).build()),
                java.util.Arrays.asList(unit(1), null));
        assertThat(store.getEpisodeById(first)).isPresent();
        assertThat(store.getEpisodesByProject(project, 10, null)).hasSize(3);
        assertThat(store.findSimilarEpisodes(unit(0), project, 10, 0.9)).extracting(Episode::episodeId).containsExactly(first);
        assertThat(store.findSimilarEpisodesMatching(unit(1), EpisodeFilter.builder().projectId(project)
                .decisionSource(Episode.DEFAULT_DECISION_SOURCE).build(), 5, 0.9))
                .extracting(Episode::episodeId).containsExactly(batch.get(0));
        assertThat(store.getEpisodesWithoutOutcomes(10000)).extracting(Episode::episodeId).contains(first);
        store.updateEpisodeOutcome(first, Map.of("completed", 5), 0.9);
        assertThat(store.getEpisodesByProject(project, 10, 0.8)).extracting(Episode::episodeId).containsExactly(first);
        assertThat(store.getEpisodesPendingEmbedding(10000)).extracting(Episode::episodeId).contains(batch.get(1));
        store.updateEpisodeEmbedding(batch.get(1), unit(2));
        assertThat(store.countEpisodesPendingEmbedding()).isGreaterThanOrEqualTo(0);
        assertThat(store.countEpisodes(project)).isEqualTo(3);
        assertThat(store.deleteEpisode(batch.get(0))).isTrue();
        assertThat(store.countEpisodes(project)).isEqualTo(2);
    }

    private static void knowledge(KnowledgeStore store, int round) {
        UUID id = store.storeStrategy(Strategy.builder("through pgbouncer " + round)
                .conditions("backlog_tasks >= 10").confidence(0.9).build(), unit(3));
        assertThat(store.getStrategy(id)).isPresent();
        assertThat(store.listStrategies(StrategyQuery.active())).extracting(Strategy::knowledgeId).contains(id);
        assertThat(store.getApplicableStrategies(Map.of("backlog_tasks", 12), unit(3), 0.0, 10000))
                .extracting(Strategy::knowledgeId).contains(id);
        assertThat(store.recordApplication(id, UUID.randomUUID(), true).timesApplied()).isEqualTo(1);
        assertThat(store.deactivateStrategy(id)).isTrue();
        assertThat(store.deleteStrategy(id)).isTrue();
    }

    private static void workingMemory(WorkingMemory memory, String project) {
        WorkingMemorySession s = memory.createSession(project, Map.of("step", 1), Duration.ofMinutes(5));
        assertThat(memory.getSession(s.sessionId())).contains(s);
        WorkingMemorySession updated = memory.updateSession(s.sessionId(), 1, Map.of("step", 2), UpdateMode.MERGE);
        assertThat(updated.version()).isEqualTo(2);
        assertThatThrownBy(() -> memory.updateSession(s.sessionId(), 1, Map.of("step", 3), UpdateMode.REPLACE))
                .isInstanceOf(ConflictException.class);
        assertThat(memory.extendSession(s.sessionId(), Duration.ofMinutes(1)).expiresAt()).isAfter(s.expiresAt());
        assertThat(memory.listActiveSessions(project)).extracting(WorkingMemorySession::sessionId).contains(s.sessionId());
        assertThat(memory.endSession(s.sessionId())).isTrue();
        assertThat(memory.cleanupExpired()).isGreaterThanOrEqualTo(0);
    }

    private static Episode.Builder episode(String project, int minute) {
        return Episode.builder(project).timestamp(Instant.parse("2024-05-01T12:00:00Z").plusSeconds(60L * minute))
                .perception(Map.of("backlog_tasks", 12)).reasoning(Map.of("why", "enough backlog"))
                .action(Map.of("sprint_created", true));
    }

    private static float[] unit(int axis) {
        float[] v = new float[DIMENSIONS];
        v[axis] = 1;
        return v;
    }
}
