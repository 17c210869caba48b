package dev.agentmemory.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.api.AgentMemoryStore;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.spi.MemoryStores;
import dev.agentmemory.api.spi.StoreConfig;
import dev.agentmemory.postgres.PostgresStoreProvider;
import dev.agentmemory.postgres.ReadReplicaStats;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Reads on a hot standby: recall ({@code findSimilarEpisodes}) p50/p95 and recall@10 with reads
 * on the primary and with reads on the standby, while other stores write episodes at the same
 * time, and the standby's lag meanwhile; then with the writes made by the same stores that read,
 * where read-your-writes sends a read to the primary whenever the standby has not replayed the
 * stores' last write yet ({@code read.consistency=stores}), and the same with
 * {@code read.consistency=thread}, where the searching thread, which writes nothing, waits for
 * nothing.
 *
 * <p>The standby is {@code AGENT_MEMORY_BENCH_REPLICA_JDBC_URL} (bin/bench sets it to
 * scripts/setup-postgres.sh's 15/replica on port 5433, which replicates the bench database
 * too); without it, or when it does not answer, the scenario is reported as skipped.
 */
final class ReplicaScenario {

    static final String GROUP = "9. reads on a replica";
    /**
     * Episodes loaded (bulk import, vectors given) before the measured searches: 50,000, or the
     * system property {@code bench.replica.size} (issue 17's table at 1M:
     * {@code BENCH_JAVA_OPTS="-Xmx8g -Dbench.replica.size=1000000" bin/bench --quick --only replica}).
     */
    static final int SIZE = Integer.getInteger("bench.replica.size", 50_000);
    /** Threads writing while the searches run, each storing batches of {@link #WRITE_BATCH}. */
    static final int WRITERS = 2;
    static final int WRITE_BATCH = 10;

    private ReplicaScenario() {
    }

    static void run(Run run) throws Exception {
        Postgres pg = run.pg;
        String replicaUrl = System.getenv("AGENT_MEMORY_BENCH_REPLICA_JDBC_URL");
        String primaryUrl = System.getenv("AGENT_MEMORY_BENCH_JDBC_URL");
        String user = System.getenv("AGENT_MEMORY_BENCH_DB_USER");
        String password = System.getenv("AGENT_MEMORY_BENCH_DB_PASSWORD");
        if (pg == null || replicaUrl == null || primaryUrl == null || user == null || password == null) {
            run.log("replica: skipped (no PostgreSQL, or AGENT_MEMORY_BENCH_REPLICA_JDBC_URL not set)");
            return;
        }
        Lag probe = new Lag(primaryUrl, replicaUrl, user, password);
        String why = probe.unusable();
        if (why != null) {
            run.log("replica: skipped, %s", why);
            run.add(Result.builder("replica.skipped", GROUP, "reads on a hot standby").headline("skipped: " + why)
                    .notes("start the standby with scripts/setup-postgres.sh --replica").build());
            return;
        }
        VectorSet data = run.vectors(SIZE).prefix(SIZE);
        VectorSet writes = VectorSet.uniform(data.dimensions(), 5_000, run.config.projects(), 29);
        String schema = pg.schema("replica");
        try (HikariDataSource pool = pg.pool(schema, 2);
             MemoryStores primaryOnly = open(primaryUrl, null, schema, user, password, data.dimensions(), "stores");
             MemoryStores onReplica = open(primaryUrl, replicaUrl, schema, user, password, data.dimensions(), "stores");
             MemoryStores perThread = open(primaryUrl, replicaUrl, schema, user, password, data.dimensions(), "thread");
             MemoryStores writer = open(primaryUrl, null, schema, user, password, data.dimensions(), "stores")) {
            run.log("replica: bulk import of %,d episodes into %s", SIZE, schema);
            BulkImport.load(pool, SIZE, run::syntheticEpisode, data::vector, Math.max(256, (int) Math.ceil(SIZE * 3.0 / 1024)) + "MB");
            probe.awaitReplayed();
            AtomicLong next = new AtomicLong(SIZE);
            measure(run, data, "primary", "reads on the primary", primaryOnly, writer.episodes(), writes, next, probe, false);
            measure(run, data, "replica", "reads on the standby", onReplica, writer.episodes(), writes, next, probe, false);
            measure(run, data, "replica.own-writes", "reads on the standby, writes by the same stores", onReplica,
                    onReplica.episodes(), writes, next, probe, true);
            measure(run, data, "replica.own-writes.thread", "reads on the standby, writes by the same stores on other"
                    + " threads, read.consistency=thread", perThread, perThread.episodes(), writes, next, probe, true);
        } finally {
            pg.drop(schema);
        }
    }

    private static MemoryStores open(String primaryUrl, @Nullable String replicaUrl, String schema, String user,
                                     String password, int dimensions, String consistency) {
        StoreConfig.Builder b = StoreConfig.builder().dimensions(dimensions).jdbcUrl(withSchema(primaryUrl, schema))
                .username(user).password(password).migrate(true).property("pool.size", "6");
        if (replicaUrl != null) {
            b.property("read.jdbc-url", withSchema(replicaUrl, schema)).property("read.max-lag", "2s")
                    .property("read.consistency", consistency);
        }
        return new PostgresStoreProvider().open(b.build());
    }

    private static String withSchema(String url, String schema) {
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema + ",public";
    }

    private static void measure(Run run, VectorSet data, String variant, String words, MemoryStores reader,
                                AgentMemoryStore writeTo, VectorSet writes, AtomicLong next, Lag probe,
                                boolean ownWrites) throws Exception {
        for (boolean filtered : new boolean[] {false, true}) {
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong written = new AtomicLong();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                Thread t = new Thread(() -> {
                    while (running.get()) {
                        List<Episode> episodes = new ArrayList<>(WRITE_BATCH);
                        List<float[]> vectors = new ArrayList<>(WRITE_BATCH);
                        for (int i = 0; i < WRITE_BATCH; i++) {
                            int k = (int) next.getAndIncrement();
                            episodes.add(run.syntheticEpisode(k));
                            vectors.add(writes.vector(k % writes.size()));
                        }
                        writeTo.storeEpisodes(episodes, vectors);
                        written.addAndGet(WRITE_BATCH);
                    }
                }, "bench-replica-writer-" + w);
                t.setDaemon(true);
                writers.add(t);
            }
            awaitStandby(reader);
            ReadReplicaStats before = PostgresStoreProvider.readReplicaStats(reader).orElse(null);
            writers.forEach(Thread::start);
            probe.start();
            long t0 = System.nanoTime();
            AgentMemoryStore store = reader.episodes();
            SearchMeasure.Outcome o = SearchMeasure.measure(run, data, filtered,
                    (q, project, k) -> SideBySideScenario.ids(store.findSimilarEpisodes(q, project, k, -1.0)));
            double seconds = (System.nanoTime() - t0) / 1e9;
            Lag.Summary lag = probe.stop();
            running.set(false);
            for (Thread t : writers) {
                t.join();
            }
            ReadReplicaStats after = PostgresStoreProvider.readReplicaStats(reader).orElse(null);
            String id = "replica.search." + variant + (filtered ? ".project" : ".all");
            Result.Builder r = Result.builder(id, GROUP, "findSimilarEpisodes, " + words + ", "
                    + SideBySideScenario.size(SIZE) + (filtered ? ", one project of " + run.config.projects() : ", all projects")
                    + ", " + WRITERS + " writers");
            SearchMeasure.describe(r, o);
            double writeRate = written.get() / seconds;
            r.metric("writes_per_s", writeRate).metric("lag_bytes_p50", lag.bytesP50()).metric("lag_bytes_max", lag.bytesMax())
                    .metric("lag_ms_p50", lag.msP50()).metric("lag_ms_max", lag.msMax());
            String share = "";
            if (before != null && after != null) {
                long onStandby = after.standbyReads() - before.standbyReads();
                long onPrimary = after.primaryReads() - before.primaryReads();
                double fraction = onStandby / (double) Math.max(1, onStandby + onPrimary);
                r.metric("standby_read_share", fraction);
                share = String.format(java.util.Locale.ROOT, " · %.0f%% of reads on the standby", 100 * fraction);
            }
            r.headline(Fmt.latency(o.latency()) + " · recall@10 " + Fmt.num(o.recall()) + share + " · lag p50 "
                    + Fmt.num(lag.msP50()) + " ms / " + Fmt.num(lag.bytesP50() / 1024) + " kB, max " + Fmt.num(lag.msMax())
                    + " ms · " + Fmt.rate(writeRate, "writes"));
            r.notes("one search thread; " + WRITERS + " threads storing " + WRITE_BATCH + " episodes a batch "
                    + (ownWrites ? "through the same stores (read-your-writes: a read goes to the standby only once it has"
                    + " replayed the writes it must see, by read.consistency)" : "through other stores (another process)")
                    + "; lag sampled every 20 ms: bytes = the primary's WAL position minus the standby's replay position,"
                    + " ms = the age of the oldest sampled primary position the standby had not replayed");
            run.add(r.build());
            probe.awaitReplayed();
        }
    }

    // The bulk import's WAL can have put the standby past its lag bound: measure once it is back.
    private static void awaitStandby(MemoryStores reader) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            ReadReplicaStats s = PostgresStoreProvider.readReplicaStats(reader).orElse(null);
            if (s == null || s.healthyStandbys() == s.standbys()) {
                return;
            }
            Thread.sleep(100);
        }
        System.err.println("bench: the standby is still out of reads after 120 s; measuring anyway");
    }

    /** Samples the standby's lag behind the primary on a thread of its own. */
    private static final class Lag {
        record Summary(double bytesP50, double bytesMax, double msP50, double msMax) {
        }

        private final String primaryUrl;
        private final String replicaUrl;
        private final String user;
        private final String password;
        private @Nullable Thread thread;
        private final List<long[]> samples = new ArrayList<>();
        private volatile boolean sampling;

        Lag(String primaryUrl, String replicaUrl, String user, String password) {
            this.primaryUrl = primaryUrl;
            this.replicaUrl = replicaUrl;
            this.user = user;
            this.password = password;
        }

        @Nullable String unusable() {
            try (Connection c = DriverManager.getConnection(replicaUrl, user, password); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
                rs.next();
                return rs.getBoolean(1) ? null : "the server at the replica URL is not a standby";
            } catch (SQLException e) {
                return "the standby does not answer: " + e.getMessage();
            }
        }

        void awaitReplayed() throws SQLException, InterruptedException {
            try (Connection p = DriverManager.getConnection(primaryUrl, user, password);
                 Connection r = DriverManager.getConnection(replicaUrl, user, password)) {
                long target = position(p, "pg_current_wal_lsn()");
                while (position(r, "pg_last_wal_replay_lsn()") < target) {
                    Thread.sleep(20);
                }
            }
        }

        void start() {
            synchronized (samples) {
                samples.clear();
            }
            sampling = true;
            Thread t = new Thread(() -> {
                try (Connection p = DriverManager.getConnection(primaryUrl, user, password);
                     Connection r = DriverManager.getConnection(replicaUrl, user, password)) {
                    // The primary's positions as sampled, oldest first: the time lag is the age of the
                    // oldest one the standby has not replayed yet (pg_stat_replication's replay_lag
                    // is for privileged roles only).
                    java.util.ArrayDeque<long[]> written = new java.util.ArrayDeque<>();
                    while (sampling) {
                        long now = System.nanoTime();
                        long primary = position(p, "pg_current_wal_lsn()");
                        written.addLast(new long[] {now, primary});
                        long replayed = position(r, "pg_last_wal_replay_lsn()");
                        while (!written.isEmpty() && written.peekFirst()[1] <= replayed) {
                            written.removeFirst();
                        }
                        long ms = written.isEmpty() ? 0 : (now - written.peekFirst()[0]) / 1_000_000;
                        synchronized (samples) {
                            samples.add(new long[] {Math.max(0, primary - replayed), ms});
                        }
                        Thread.sleep(20);
                    }
                } catch (SQLException | InterruptedException e) {
                    System.err.println("bench: sampling the replica's lag stopped: " + e.getMessage());
                }
            }, "bench-replica-lag");
            t.setDaemon(true);
            thread = t;
            t.start();
        }

        Summary stop() throws InterruptedException {
            sampling = false;
            if (thread != null) {
                thread.join();
            }
            synchronized (samples) {
                if (samples.isEmpty()) {
                    return new Summary(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
                }
                long[] bytes = samples.stream().mapToLong(s -> s[0]).sorted().toArray();
                long[] ms = samples.stream().mapToLong(s -> s[1]).sorted().toArray();
                return new Summary(bytes[bytes.length / 2], bytes[bytes.length - 1], ms[ms.length / 2], ms[ms.length - 1]);
            }
        }

        private static long position(Connection c, String function) throws SQLException {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT (" + function + " - '0/0'::pg_lsn)::bigint")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
