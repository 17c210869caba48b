package dev.agentmemory.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.api.Redaction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * The benchmark database: one schema per data set of a run, all named after the run and all
 * dropped when it ends, so that no table outlives its run.
 *
 * <p>Connection settings come from {@code AGENT_MEMORY_BENCH_JDBC_URL},
 * {@code AGENT_MEMORY_BENCH_DB_USER} and {@code AGENT_MEMORY_BENCH_DB_PASSWORD}, all required here;
 * {@code bin/bench} sets them to the bench database that {@code scripts/setup-postgres.sh} creates
 * when they are not set, so that no connection setting lives in code.
 */
final class Postgres implements AutoCloseable {

    private final String url;
    private final String user;
    private final String password;
    private final String run;
    private final List<String> schemas = new ArrayList<>();
    private final List<HikariDataSource> pools = new ArrayList<>();

    private Postgres(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.run = "bench_" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss")) + "_"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    }

    /**
     * @param env the environment
     * @return the database, or null (with the reason on stderr) when it cannot be reached
     */
    static @Nullable Postgres connect(Map<String, String> env) {
        String url = env.get("AGENT_MEMORY_BENCH_JDBC_URL");
        String user = env.get("AGENT_MEMORY_BENCH_DB_USER");
        String password = env.get("AGENT_MEMORY_BENCH_DB_PASSWORD");
        if (url == null || user == null || password == null) {
            System.err.println("bench: AGENT_MEMORY_BENCH_JDBC_URL, _DB_USER and _DB_PASSWORD are not all set "
                    + "(bin/bench sets them); PostgreSQL scenarios skipped");
            return null;
        }
        Postgres pg = new Postgres(url, user, password);
        try (Connection c = pg.connection()) {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT extversion FROM pg_extension WHERE extname = 'vector'")) {
                if (!rs.next()) {
                    System.err.println("bench: " + Redaction.redact(url) + " has no vector extension; PostgreSQL scenarios skipped");
                    return null;
                }
            }
            return pg;
        } catch (SQLException e) {
            System.err.println("bench: cannot reach " + Redaction.redact(url) + " (" + e.getMessage()
                    + "); PostgreSQL scenarios skipped. Run scripts/setup-postgres.sh to start it.");
            return null;
        }
    }

    Connection connection() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    String describe() {
        return Redaction.redact(url) + " as " + user + ", run schemas " + run + "_*";
    }

    /** @return the server's version and its memory settings, for the report */
    String serverInfo() {
        try (Connection c = connection(); Statement s = c.createStatement()) {
            List<String> parts = new ArrayList<>();
            for (String q : List.of("SHOW server_version", "SELECT extversion FROM pg_extension WHERE extname = 'vector'",
                    "SHOW shared_buffers", "SHOW maintenance_work_mem", "SHOW max_parallel_maintenance_workers")) {
                try (ResultSet rs = s.executeQuery(q)) {
                    rs.next();
                    parts.add(rs.getString(1));
                }
            }
            return String.format(Locale.ROOT, "PostgreSQL %s, pgvector %s, shared_buffers %s, maintenance_work_mem %s "
                    + "(raised per session for index builds), max_parallel_maintenance_workers %s", parts.toArray());
        } catch (SQLException e) {
            return "PostgreSQL (version unknown: " + e.getMessage() + ")";
        }
    }

    /**
     * Creates a fresh schema of this run.
     *
     * @param suffix what it holds, such as {@code s100k}
     * @return its name
     */
    synchronized String schema(String suffix) throws SQLException {
        String name = run + "_" + suffix;
        try (Connection c = connection(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
            s.execute("CREATE SCHEMA " + name);
        }
        schemas.add(name);
        return name;
    }

    /**
     * @param schema a schema of this run
     * @param size the pool size
     * @return a pool whose connections see {@code schema} first, then {@code public} (where the
     *     vector extension lives)
     */
    synchronized HikariDataSource pool(String schema, int size) {
        HikariConfig h = new HikariConfig();
        h.setPoolName("bench-" + schema);
        h.setJdbcUrl(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema + ",public");
        h.setUsername(user);
        h.setPassword(password);
        h.setMaximumPoolSize(size);
        h.setMinimumIdle(Math.min(size, 2));
        HikariDataSource pool = new HikariDataSource(h);
        pools.add(pool);
        return pool;
    }

    /** Drops one schema of this run now, to give its disk back. */
    synchronized void drop(String schema) {
        try (Connection c = connection(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            schemas.remove(schema);
        } catch (SQLException e) {
            System.err.println("bench: dropping schema " + schema + " failed: " + e.getMessage());
        }
    }

    /**
     * CPU the server's processes serving this database have used so far, read from {@code /proc}
     * in clock ticks (1/100 s) by process: with the JVM's own CPU time it shows which side a
     * scenario waits on. See {@link #cpuSeconds}.
     *
     * @return ticks by process id; empty where {@code /proc} cannot be read
     */
    Map<Integer, Long> backendTicks() {
        List<Integer> pids = new ArrayList<>();
        try (Connection c = connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                     + "AND pid <> pg_backend_pid()")) {
            while (rs.next()) {
                pids.add(rs.getInt(1));
            }
        } catch (SQLException e) {
            return Map.of();
        }
        Map<Integer, Long> ticks = new java.util.HashMap<>();
        for (int pid : pids) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // utime and stime are fields 14 and 15 of stat: 12 and 13 after the command name.
                ticks.put(pid, Long.parseLong(f[11]) + Long.parseLong(f[12]));
            } catch (IOException | RuntimeException e) {
                // the process ended meanwhile, or /proc is not ours to read
            }
        }
        return ticks;
    }

    /** @return the CPU seconds used between two readings of {@link #backendTicks()}, NaN when unknown */
    static double cpuSeconds(Map<Integer, Long> before, Map<Integer, Long> after) {
        if (after.isEmpty()) {
            return Double.NaN;
        }
        long sum = 0;
        for (Map.Entry<Integer, Long> e : after.entrySet()) {
            sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        }
        return sum / 100.0;
    }

    @Override
    public synchronized void close() {
        for (HikariDataSource p : pools) {
            p.close();
        }
        pools.clear();
        for (String schema : new ArrayList<>(schemas)) {
            drop(schema);
        }
    }
}
