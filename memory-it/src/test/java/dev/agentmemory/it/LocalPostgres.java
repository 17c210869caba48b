package dev.agentmemory.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Controls the local PostgreSQL cluster (15/main, the one scripts/setup-postgres.sh runs) and the
 * tests' pgbouncer, for the tests that restart the database. Needs root, as the set-up script does.
 */
final class LocalPostgres {

    private static final String VERSION = "15";
    private static final String CLUSTER = "main";

    private LocalPostgres() {
    }

    /** @return whether this process may run pg_ctlcluster (it runs as root and the tool exists) */
    static boolean controllable() {
        return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/pg_ctlcluster"));
    }

    /** Restarts the cluster (fast shutdown: open sessions are ended) and waits until it is back. */
    static String restart() throws IOException, InterruptedException {
        return run(List.of("pg_ctlcluster", VERSION, CLUSTER, "restart", "-m", "fast"), 120);
    }

    /**
     * Makes sure PostgreSQL and the tests' pgbouncer run and serve queries, whatever a test did:
     * starts the cluster if it is down, then runs the set-up script, which starts pgbouncer if it
     * is gone and checks a query through it.
     */
    static void ensureUp() throws IOException, InterruptedException {
        String status = run(List.of("pg_lsclusters", "-h"), 30);
        if (!status.contains(" online")) {
            run(List.of("pg_ctlcluster", VERSION, CLUSTER, "start"), 120);
        }
        Path script = Path.of("..", "scripts", "setup-postgres.sh");
        if (Files.isRegularFile(script)) {
            run(List.of("bash", script.toString(), "--pgbouncer"), 300);
        }
    }

    /**
     * @param url a JDBC URL
     * @param timeoutSeconds how long to keep trying
     * @return whether a query on a new connection succeeded within that time
     */
    static boolean answersWithin(String url, int timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        do {
            try (Connection c = DriverManager.getConnection(url, TestDatabase.USER, TestDatabase.PASSWORD);
                 Statement s = c.createStatement()) {
                s.execute("SELECT 1");
                return true;
            } catch (SQLException notYet) {
                Thread.sleep(200);
            }
        } while (System.nanoTime() < deadline);
        return false;
    }

    private static String run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + p.exitValue() + ": " + out);
        }
        return out;
    }
}
