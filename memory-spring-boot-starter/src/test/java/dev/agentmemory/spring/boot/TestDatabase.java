package dev.agentmemory.spring.boot;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Where this module's integration tests find PostgreSQL, as memory-it's tests do: from
 * {@code AGENT_MEMORY_TEST_JDBC_URL}, {@code AGENT_MEMORY_TEST_USER} and
 * {@code AGENT_MEMORY_TEST_PASSWORD}, with the defaults of the local test-only database that
 * scripts/setup-postgres.sh creates (they exist only in tests). Each test class works in a schema of
 * its own, made empty when it starts.
 */
final class TestDatabase {

    static final String JDBC_URL = env("AGENT_MEMORY_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/agent_memory_test");
    static final String USER = env("AGENT_MEMORY_TEST_USER", "agent_memory_test");
    static final String PASSWORD = env("AGENT_MEMORY_TEST_PASSWORD", "agent_memory_test");

    private TestDatabase() {
    }

    /** Drops and creates the schema. */
    static void freshSchema(String schema) {
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE", "CREATE SCHEMA " + schema);
    }

    /** @return the test database's URL working in {@code schema}, then {@code public} (where pgvector is) */
    static String url(String schema) {
        return withSchema(JDBC_URL, schema);
    }

    /** @return the same database reached on another host and port, such as a {@link TcpProxy} */
    static String urlThrough(String host, int port, String schema) {
        URI uri = URI.create(JDBC_URL.substring("jdbc:".length()));
        String rest = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return withSchema("jdbc:postgresql://" + host + ":" + port + rest, schema);
    }

    /** @return the host of the test database */
    static String host() {
        return URI.create(JDBC_URL.substring("jdbc:".length())).getHost();
    }

    /** @return the port of the test database */
    static int port() {
        int port = URI.create(JDBC_URL.substring("jdbc:".length())).getPort();
        return port < 0 ? 5432 : port;
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(JDBC_URL, USER, PASSWORD);
    }

    private static String withSchema(String url, String schema) {
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema + ",public";
    }

    private static void execute(String... statements) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("SET client_min_messages = warning");
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("test database setup failed: " + e.getMessage(), e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
