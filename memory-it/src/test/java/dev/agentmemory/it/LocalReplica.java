package dev.agentmemory.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.api.spi.MemoryStores;
import dev.agentmemory.api.spi.StoreConfig;
import dev.agentmemory.postgres.PostgresStoreProvider;
import dev.agentmemory.postgres.ReadReplicaStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The streaming hot standby of the test cluster that {@code scripts/setup-postgres.sh --replica}
 * makes (15/replica on 127.0.0.1:5433, memory-it's build starts it), for the tests of reads on
 * replicas: its URL, stores opened with reads on it, and control of it (stop, start, pausing
 * replay), which needs root as the set-up script does.
 *
 * <p>{@code AGENT_MEMORY_TEST_REPLICA_JDBC_URL} points elsewhere; by default it is the test
 * database's URL ({@code AGENT_MEMORY_TEST_JDBC_URL}) on port 5433: the standby replicates the
 * whole cluster, so every test database is there too.
 */
final class LocalReplica {

    static final String JDBC_URL = env("AGENT_MEMORY_TEST_REPLICA_JDBC_URL",
            TestDatabase.JDBC_URL.replaceFirst("//([^/:]+):5432/", "//$1:5433/"));
    private static final String VERSION = "15";
    private static final String CLUSTER = "replica";
    private static final String PORT = env("AGENT_MEMORY_REPLICA_PORT", "5433");

    private LocalReplica() {
    }

    /**
     * Opens the provider's stores on a test schema, their reads on the standby.
     *
     * @param schema the schema, on the primary and (replicated) on the standby
     * @param dimensions the vector size
     * @param properties store properties besides {@code read.jdbc-url}
     * @return the stores; the standby is checked once, so it answers reads at once if it can
     */
    static MemoryStores openStores(String schema, int dimensions, Map<String, String> properties) {
        return new PostgresStoreProvider().open(StoreConfig.builder().dimensions(dimensions)
                .jdbcUrl(TestDatabase.urlWithSchema(TestDatabase.JDBC_URL, schema))
                .username(TestDatabase.USER).password(TestDatabase.PASSWORD).migrate(true)
                .property("read.jdbc-url", TestDatabase.urlWithSchema(JDBC_URL, schema))
                .properties(properties).build());
    }

    /** @return what the stores' reads did; fails for stores opened without standbys */
    static ReadReplicaStats stats(MemoryStores stores) {
        return PostgresStoreProvider.readReplicaStats(stores)
                .orElseThrow(() -> new AssertionError("the stores were opened without read.jdbc-url"));
    }

    /**
     * Waits until the stores' checker says something of their standby.
     *
     * @param what what it waits for, for the message
     * @param seconds how long at most
     */
    static ReadReplicaStats awaitStats(MemoryStores stores, String what, int seconds, Predicate<ReadReplicaStats> until)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ReadReplicaStats s = stats(stores);
        while (!until.test(s)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the read replica did not come to be " + what + " within " + seconds
                        + " s: " + s);
            }
            Thread.sleep(50);
            s = stats(stores);
        }
        return s;
    }

    /**
     * Waits until the standby has replayed everything the primary wrote until now: for tests that
     * change the primary behind the stores' back (truncating), whose reads must not see the past.
     */
    static void awaitReplayed() {
        long target;
        try (Connection c = TestDatabase.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint")) {
            rs.next();
            target = rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("reading the primary's WAL position failed: " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (Connection c = DriverManager.getConnection(JDBC_URL, TestDatabase.USER, TestDatabase.PASSWORD);
             Statement s = c.createStatement()) {
            while (true) {
                try (ResultSet rs = s.executeQuery("SELECT (pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint")) {
                    rs.next();
                    if (rs.getLong(1) >= target) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the standby at " + JDBC_URL + " did not replay the primary's WAL within 30 s");
                }
                Thread.sleep(10);
            }
        } catch (SQLException e) {
            throw new AssertionError("the standby at " + JDBC_URL + " does not answer (run scripts/setup-postgres.sh"
                    + " --replica as root): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Fails, with what to do, when this process cannot stop and start the standby. */
    static void assertControllable() {
        assertThat("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/pg_ctlcluster")))
                .as("stopping and starting the standby %s/%s needs root and /usr/bin/pg_ctlcluster; this test runs"
                        + " as %s: run it as root on the machine scripts/setup-postgres.sh --replica set up",
                        VERSION, CLUSTER, System.getProperty("user.name"))
                .isTrue();
    }

    /** Stops the standby (fast: its sessions are ended). */
    static void stop() throws IOException, InterruptedException {
        run(List.of("pg_ctlcluster", VERSION, CLUSTER, "stop", "-m", "fast"));
    }

    /** Starts the standby and waits until it accepts reads. */
    static void start() throws IOException, InterruptedException {
        run(List.of("pg_ctlcluster", VERSION, CLUSTER, "start"));
        if (!LocalPostgres.answersWithin(JDBC_URL, 60)) {
            throw new IOException("the standby at " + JDBC_URL + " does not answer 60 s after it started");
        }
    }

    /** Starts the standby when it is down, whatever a test did to it. */
    static void ensureUp() throws IOException, InterruptedException {
        if (!run(List.of("pg_lsclusters", "-h")).lines().anyMatch(l -> l.matches(VERSION + "\\s+" + CLUSTER + "\\s.*online.*"))) {
            start();
        }
        resumeReplay();
    }

    /** Pauses the standby's replay: it stays up and answers, and falls behind as the primary writes. */
    static void pauseReplay() throws IOException, InterruptedException {
        superuser("SELECT pg_wal_replay_pause()");
    }

    /** Resumes the standby's replay. */
    static void resumeReplay() throws IOException, InterruptedException {
        superuser("SELECT pg_wal_replay_resume()");
    }

    // pg_wal_replay_pause() is for superusers; as root this process may run psql as postgres.
    private static void superuser(String sql) throws IOException, InterruptedException {
        run(List.of("runuser", "-u", "postgres", "--", "psql", "-X", "-At", "-p", PORT, "-d", "postgres", "-c", sql));
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within 120 s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + p.exitValue() + ": " + out);
        }
        return out;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
