package dev.agentmemory.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.api.Episode;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.api.TransientMemoryException;
import dev.agentmemory.api.spi.MemoryStores;
import dev.agentmemory.api.spi.StoreConfig;
import dev.agentmemory.postgres.PostgresStoreProvider;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store's connection is killed ({@code pg_terminate_backend}, SQLState 57P01, what a restart
 * or a failover does to a session) while an operation waits on a lock another session holds, so
 * the failure comes exactly in the middle of the operation, with no timing involved. An operation
 * that is safe to repeat is retried and succeeds, without a duplicate; one that is not fails at
 * once with a {@link TransientMemoryException}; with retries turned off, so does the safe one.
 */
class TransientFailureIT {

    private static final int DIMENSIONS = 8;
    private static String url;

    private final ExecutorService caller = Executors.newSingleThreadExecutor();

    @BeforeAll
    static void createSchema() {
        String schema = TestDatabase.schemaName(TransientFailureIT.class);
        TestDatabase.freshSchema(schema, 1).close();
        url = TestDatabase.urlWithSchema(TestDatabase.JDBC_URL, schema);
        open("migrate", 3).close();
    }

    @Test
    void storingAnEpisodeWhoseConnectionIsKilledMidWriteIsRetriedAndStoredOnce() throws Exception {
        UUID id = UUID.randomUUID();
        try (MemoryStores stores = open("retry-store", 3); Connection blocker = TestDatabase.connect()) {
            blocker.setAutoCommit(false);
            // The same id, inserted and not committed: the store's insert waits on it.
            insertUncommitted(blocker, id);
            Future<UUID> stored = caller.submit(() -> stores.episodes().storeEpisode(episode(id), vector()));

            killWhenWaiting("retry-store");
            blocker.rollback();

            assertThat(stored.get(60, TimeUnit.SECONDS)).isEqualTo(id);
            assertThat(rows(id)).isEqualTo(1);
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    void aRetriedWriteWhoseRowIsAlreadyThereSucceedsWithoutADuplicate() throws Exception {
        // As when the first attempt committed and only its answer was lost: the retry finds the row.
        UUID id = UUID.randomUUID();
        try (MemoryStores stores = open("retry-committed", 3); Connection blocker = TestDatabase.connect()) {
            blocker.setAutoCommit(false);
            insertUncommitted(blocker, id);
            Future<UUID> stored = caller.submit(() -> stores.episodes().storeEpisode(episode(id), vector()));

            killWhenWaiting("retry-committed");
            blocker.commit();

            assertThat(stored.get(60, TimeUnit.SECONDS)).isEqualTo(id);
            assertThat(rows(id)).isEqualTo(1);
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    void aReadWhoseConnectionIsKilledIsRetried() throws Exception {
        try (MemoryStores stores = open("retry-read", 3); Connection blocker = TestDatabase.connect()) {
            UUID id = stores.episodes().storeEpisode(episode(UUID.randomUUID()), vector());
            blocker.setAutoCommit(false);
            try (Statement s = blocker.createStatement()) {
                s.execute("LOCK TABLE " + schema() + ".agent_episodes IN ACCESS EXCLUSIVE MODE");
            }
            Future<Boolean> read = caller.submit(() -> stores.episodes().getEpisodeById(id).isPresent());

            killWhenWaiting("retry-read");
            blocker.rollback();

            assertThat(read.get(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    void recordingAStrategysApplicationIsRetriedAfterItsSessionEndsAndCountsOnce() throws Exception {
        try (MemoryStores stores = open("keyed-retry", 3); Connection blocker = TestDatabase.connect()) {
            UUID strategy = stores.knowledge().orElseThrow().storeStrategy(Strategy.builder("s").build(), null);
            UUID episode = UUID.randomUUID();
            blocker.setAutoCommit(false);
            try (PreparedStatement s = blocker.prepareStatement("SELECT 1 FROM " + schema()
                    + ".agent_knowledge WHERE knowledge_id = ? FOR UPDATE")) {
                s.setObject(1, strategy);
                s.executeQuery().close();
            }
            Future<Strategy> applied = caller.submit(() ->
                    stores.knowledge().orElseThrow().recordApplication(strategy, episode, true));

            killWhenWaiting("keyed-retry");
            // An application is keyed by (strategy, episode), so the store retries the killed
            // transaction; the retry waits for the lock until it is released here.
            blocker.rollback();
            Strategy after = applied.get(60, TimeUnit.SECONDS);

            assertThat(after.timesApplied()).isEqualTo(1);
            assertThat(stores.knowledge().orElseThrow().recordApplication(strategy, episode, true).timesApplied())
                    .as("the same application again").isEqualTo(1);
            assertThat(stores.knowledge().orElseThrow().getStrategy(strategy).orElseThrow().successCount()).isEqualTo(1);
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    void withRetriesOffAKilledWriteSaysItFailed() throws Exception {
        UUID id = UUID.randomUUID();
        try (MemoryStores stores = open("retry-off", 1); Connection blocker = TestDatabase.connect()) {
            blocker.setAutoCommit(false);
            insertUncommitted(blocker, id);
            Future<UUID> stored = caller.submit(() -> stores.episodes().storeEpisode(episode(id), vector()));

            killWhenWaiting("retry-off");
            Throwable failure = failureOf(stored);
            blocker.rollback();

            assertThat(failure).isInstanceOf(TransientMemoryException.class)
                    .hasMessageContaining("storing an episode").hasMessageContaining("57P01");
            assertThat(rows(id)).isZero();
        } finally {
            caller.shutdownNow();
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static MemoryStores open(String application, int attempts) {
        return new PostgresStoreProvider().open(StoreConfig.builder().dimensions(DIMENSIONS).jdbcUrl(url)
                .username(TestDatabase.USER).password(TestDatabase.PASSWORD).migrate(true)
                .property(PostgresStoreProvider.POOL_SIZE, "2")
                .property(PostgresStoreProvider.RETRY_ATTEMPTS, Integer.toString(attempts))
                .property(PostgresStoreProvider.RETRY_BACKOFF, "50ms")
                .property(PostgresStoreProvider.JDBC_PREFIX + "ApplicationName", "agent-memory-it-" + application)
                .build());
    }

    /** Waits (at most a minute) until the store's session waits on a lock, then ends that session. */
    private static void killWhenWaiting(String application) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        try (Connection c = TestDatabase.connect();
             PreparedStatement s = c.prepareStatement("SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity"
                     + " WHERE application_name = ? AND wait_event_type = 'Lock'")) {
            s.setString(1, "agent-memory-it-" + application);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        assertThat(rs.getBoolean(1)).as("session terminated").isTrue();
                        return;
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError("the store's session never waited on the lock");
    }

    private static Throwable failureOf(Future<?> call) throws Exception {
        try {
            call.get(60, TimeUnit.SECONDS);
            throw new AssertionError("the call succeeded");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    /**
     * The row a first attempt of {@link #episode} would write, uncommitted: in the episode's own
     * project, so that the store's insert waits on the key (project_id, episode_id). (An uncommitted
     * row of another project holds no lock the insert meets: see docs/postgres-scale-out.md.)
     */
    private static void insertUncommitted(Connection c, UUID id) throws Exception {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO " + schema() + ".agent_episodes"
                + " (episode_id, project_id, \"timestamp\", perception, reasoning, action)"
                + " VALUES (?, 'transient', now(), '{}', '{}', '{}')")) {
            s.setObject(1, id);
            s.executeUpdate();
        }
    }

    private static long rows(UUID id) throws Exception {
        try (Connection c = TestDatabase.connect();
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM " + schema() + ".agent_episodes WHERE episode_id = ?")) {
            s.setObject(1, id);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String schema() {
        return TestDatabase.schemaName(TransientFailureIT.class);
    }

    private static Episode episode(UUID id) {
        return Episode.builder("transient").episodeId(id).perception(Map.of("n", 1)).reasoning(Map.of())
                .action(Map.of("sprint_created", true)).build();
    }

    private static float[] vector() {
        float[] v = new float[DIMENSIONS];
        v[0] = 1;
        return v;
    }
}
