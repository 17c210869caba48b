package dev.agentmemory.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.api.Episode;
import dev.agentmemory.core.AgentMemory;
import dev.agentmemory.core.AgentMemorySystem;
import dev.agentmemory.core.MemorySettings;
import dev.agentmemory.embedding.ollama.EmbeddingClient;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The embedding service dies while an agent remembers decisions: every decision is stored all the
 * same, once, and the backfill embeds what was stored without a vector when the service is back.
 * The service is {@code agent-memory serve-embeddings} in its own JVM, killed with SIGKILL and
 * started again on the same port; the memory runs on PostgreSQL with an {@link EmbeddingClient}
 * (one retry, a short timeout, a circuit breaker that tries again after two seconds).
 */
class EmbedderOutageIT {

    private static final int DECISIONS = 500;
    private static final int KILL_AT = 100;
    private static final int BACK_BY = 250;

    private static HikariDataSource dataSource;

    @BeforeAll
    static void createSchema() {
        dataSource = TestDatabase.freshSchema(EmbedderOutageIT.class);
    }

    @AfterAll
    static void closePool() {
        dataSource.close();
    }

    @BeforeEach
    void emptyTables() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT to_regclass('agent_episodes') IS NOT NULL");
            ResultSet rs = s.getResultSet();
            rs.next();
            if (rs.getBoolean(1)) {
                s.execute("TRUNCATE agent_strategy_applications, agent_episodes, agent_knowledge, agent_working_memory");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void killingTheEmbeddingServiceDuringFiveHundredDecisionsLosesNoneAndTheBackfillEmbedsThemAll() throws Exception {
        ExecutorService restarter = Executors.newSingleThreadExecutor();
        try (ServeEmbeddingsProcess server = ServeEmbeddingsProcess.onFreePort("outage-run");
             EmbeddingClient client = client(startedOn(server));
             AgentMemorySystem memory = memory(client, null)) {
            List<UUID> ids = new ArrayList<>();
            Future<?> restart = null;
            for (int i = 0; i < DECISIONS; i++) {
                if (i == KILL_AT) {
                    server.kill();
                    restart = restarter.submit(() -> {
                        server.start();
                        return null;
                    });
                }
                if (i == BACK_BY) {
                    restart.get(3, TimeUnit.MINUTES);
                }
                ids.add(memory.rememberDecision(decision("outage", i)));
            }
            long pending = memory.episodes().countEpisodesPendingEmbedding();
            Set<UUID> pendingIds = new HashSet<>();
            memory.episodes().getEpisodesPendingEmbedding(DECISIONS).forEach(e -> pendingIds.add(e.episodeId()));

            // Recall works meanwhile, on what is embedded: a pending decision is not found, its
            // embedded neighbours are.
            Episode pendingOne = memory.episodes().getEpisodeById(pendingIds.iterator().next()).orElseThrow();
            List<Episode> recalledMeanwhile = memory.recallSimilarSituations(pendingOne.perception(), "outage", 20);

            int backfilled = memory.backfillEmbeddings();

            List<Episode> recalledAfter = memory.recallSimilarSituations(pendingOne.perception(), "outage", 1);
            System.out.printf("embedder outage: %d decisions, %d stored pending during the outage, %d backfilled,"
                    + " %d stored, %d embedded, %d distinct decisions%n", DECISIONS, pending, backfilled,
                    rows("SELECT count(*) FROM agent_episodes"), rows("SELECT count(*) FROM agent_episodes WHERE embedding IS NOT NULL"),
                    rows("SELECT count(DISTINCT perception->>'decision') FROM agent_episodes"));

            assertThat(ids).hasSize(DECISIONS).doesNotHaveDuplicates();
            assertThat(pending).as("decisions stored without a vector during the outage").isPositive()
                    .isLessThan(DECISIONS);
            assertThat(recalledMeanwhile).isNotEmpty()
                    .allSatisfy(e -> assertThat(pendingIds).doesNotContain(e.episodeId()));
            assertThat(backfilled).isEqualTo(pending);
            assertThat(rows("SELECT count(*) FROM agent_episodes")).isEqualTo(DECISIONS);
            assertThat(rows("SELECT count(DISTINCT perception->>'decision') FROM agent_episodes")).isEqualTo(DECISIONS);
            assertThat(rows("SELECT count(*) FROM agent_episodes WHERE embedding IS NOT NULL")).isEqualTo(DECISIONS);
            assertThat(memory.episodes().countEpisodesPendingEmbedding()).isZero();
            assertThat(ids).allSatisfy(id -> assertThat(memory.episodes().getEpisodeById(id)).isPresent());
            assertThat(recalledAfter).extracting(Episode::episodeId).containsExactly(pendingOne.episodeId());
        } finally {
            restarter.shutdownNow();
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void theScheduledBackfillEmbedsWhatWasStoredWhileTheServiceWasDownOnceItIsBack() throws Exception {
        try (ServeEmbeddingsProcess server = ServeEmbeddingsProcess.onFreePort("outage-scheduled");
             EmbeddingClient client = client(server.baseUrl());
             AgentMemorySystem memory = memory(client, Duration.ofMillis(500))) {
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                ids.add(memory.rememberDecision(decision("scheduled", i)));
            }
            assertThat(memory.episodes().countEpisodesPendingEmbedding()).isEqualTo(30);

            server.start();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (memory.episodes().countEpisodesPendingEmbedding() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }

            assertThat(memory.episodes().countEpisodesPendingEmbedding()).isZero();
            assertThat(rows("SELECT count(*) FROM agent_episodes WHERE embedding IS NOT NULL")).isEqualTo(30);
            assertThat(ids).doesNotHaveDuplicates();
        }
    }

    private static String startedOn(ServeEmbeddingsProcess server) throws Exception {
        server.start();
        return server.baseUrl();
    }

    private static EmbeddingClient client(String baseUrl) {
        return EmbeddingClient.builder(baseUrl)
                .timeout(Duration.ofSeconds(5))
                .maxRetries(1)
                .retryBackoff(Duration.ofMillis(50))
                .circuitBreakerOpenFor(Duration.ofSeconds(2))
                .expectedDimensions(384)
                .build();
    }

    private static AgentMemorySystem memory(EmbeddingClient client, Duration backfillEvery) {
        return AgentMemory.builder().store("postgres").dataSource(dataSource).embedder(client).migrate(true)
                .settings(MemorySettings.builder().backfillInterval(backfillEvery).build())
                .build();
    }

    private static Episode decision(String project, int n) {
        return Episode.builder(project)
                .perception(Map.of("decision", n, "backlog_tasks", 5 + n % 40, "team_size", 2 + n % 6,
                        "team_availability", n % 3 == 0 ? "on leave" : "available"))
                .reasoning(Map.of("summary", "decision " + n + " of the outage run"))
                .action(Map.of("sprint_created", n % 2 == 0, "tasks_assigned", n % 11))
                .sprintId("sprint-" + n)
                .build();
    }

    private static long rows(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
