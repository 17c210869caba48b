package dev.agentmemory.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.TestInfo;
import picocli.CommandLine;

/**
 * What the command-line ITs on PostgreSQL share: the test database (from the environment, as
 * {@code TestDatabase} reads it), a fresh schema per test given to the CLI through its own
 * environment variables, and one CLI run in process.
 */
final class PostgresCli {

    static final String JDBC_URL = env("AGENT_MEMORY_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/agent_memory_test");
    static final String PGBOUNCER_JDBC_URL = env("AGENT_MEMORY_TEST_PGBOUNCER_JDBC_URL",
            "jdbc:postgresql://127.0.0.1:6432/agent_memory_test");
    static final String USER = env("AGENT_MEMORY_TEST_USER", "agent_memory_test");
    static final String PASSWORD = env("AGENT_MEMORY_TEST_PASSWORD", "agent_memory_test");

    private PostgresCli() {
    }

    /** What one command printed, and its exit code. */
    record Run(int exit, String out, String err) {
        List<String> errLines() {
            return err.isEmpty() ? List.of() : Arrays.asList(err.split("\\R"));
        }
    }

    /**
     * Drops and creates the schema {@code prefix + the test's name} and points the CLI's
     * environment at it.
     */
    static void freshSchema(Map<String, String> env, String prefix, TestInfo test) {
        String schema = prefix + test.getTestMethod().orElseThrow().getName().toLowerCase(Locale.ROOT);
        schema = schema.substring(0, Math.min(63, schema.length()));
        sql(JDBC_URL, "DROP SCHEMA IF EXISTS " + schema + " CASCADE", "CREATE SCHEMA " + schema);
        env.put("AGENT_MEMORY_STORE", "postgres");
        env.put("AGENT_MEMORY_JDBC_URL", JDBC_URL + (JDBC_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema + ",public");
        env.put("AGENT_MEMORY_DB_USER", USER);
        env.put("AGENT_MEMORY_DB_PASSWORD", PASSWORD);
        env.put("COLUMNS", "160");
    }

    /** Runs one command in process with that environment and standard input. */
    static Run run(Map<String, String> env, String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = AgentMemoryCli.commandLine(new CliContext(env,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), null));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static void sql(String url, String... statements) {
        try (Connection c = DriverManager.getConnection(url, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute("SET client_min_messages = warning");
            for (String q : statements) {
                s.execute(q);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("test database setup failed: " + e.getMessage(), e);
        }
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
