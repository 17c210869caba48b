package dev.agentmemory.it;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Where the integration tests find PostgreSQL, and a clean schema for each test class.
 *
 * <p>The connection comes from the environment: {@code AGENT_MEMORY_TEST_JDBC_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/agent_memory_test}), {@code AGENT_MEMORY_TEST_USER} and
 * {@code AGENT_MEMORY_TEST_PASSWORD} (default {@code agent_memory_test}, the local test-only
 * credential scripts/setup-postgres.sh creates), and for pgbouncer
 * {@code AGENT_MEMORY_TEST_PGBOUNCER_JDBC_URL} (default port 6432). These defaults exist only here,
 * never in library code.
 *
 * <p>Each test class works in its own schema, dropped and created again when the class starts, and
 * reached through pgjdbc's {@code currentSchema} with {@code public} behind it, where the
 * {@code vector} extension lives.
 */
final class TestDatabase {

    static final String JDBC_URL = env("AGENT_MEMORY_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/agent_memory_test");
    static final String PGBOUNCER_JDBC_URL = env("AGENT_MEMORY_TEST_PGBOUNCER_JDBC_URL",
            "jdbc:postgresql://127.0.0.1:6432/agent_memory_test");
    /** The database of the pgbouncer load test, directly and through pgbouncer. */
    static final String LOAD_JDBC_URL = env("AGENT_MEMORY_TEST_LOAD_JDBC_URL",
            "jdbc:postgresql://127.0.0.1:5432/agent_memory_test_load");
    static final String LOAD_PGBOUNCER_JDBC_URL = env("AGENT_MEMORY_TEST_LOAD_PGBOUNCER_JDBC_URL",
            "jdbc:postgresql://127.0.0.1:6432/agent_memory_test_load");
    static final String USER = env("AGENT_MEMORY_TEST_USER", "agent_memory_test");
    static final String PASSWORD = env("AGENT_MEMORY_TEST_PASSWORD", "agent_memory_test");

    private TestDatabase() {
    }

    /**
     * @param testClass the test class, which names the schema
     * @return a pool on a new, empty schema of that name
     */
    static HikariDataSource freshSchema(Class<?> testClass) {
        return freshSchema(schemaName(testClass), 10);
    }

    /**
     * @param schema the schema to drop and create again
     * @param poolSize the pool's size
     * @return a pool whose connections work in that schema
     */
    static HikariDataSource freshSchema(String schema, int poolSize) {
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE", "CREATE SCHEMA " + schema);
        return pool(schema, poolSize);
    }

    /**
     * @param schema an existing schema
     * @param poolSize the pool's size
     * @return a pool whose connections work in that schema
     */
    static HikariDataSource pool(String schema, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("it-" + schema);
        config.setJdbcUrl(urlWithSchema(JDBC_URL, schema));
        config.setUsername(USER);
        config.setPassword(PASSWORD);
        config.setMaximumPoolSize(poolSize);
        return new HikariDataSource(config);
    }

    /** @return the JDBC URL with {@code currentSchema} set to {@code schema}, then {@code public} */
    static String urlWithSchema(String url, String schema) {
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema + ",public";
    }

    /** @return a connection as the test role, in the database's default schema */
    static Connection connect() throws SQLException {
        return DriverManager.getConnection(JDBC_URL, USER, PASSWORD);
    }

    /** Runs statements in the database's default schema, each committed on its own. */
    static void execute(String... statements) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("SET client_min_messages = warning");
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("test database setup failed: " + e.getMessage(), e);
        }
    }

    /** Empties the agent-memory tables of the pool's schema. */
    static void truncateAll(javax.sql.DataSource dataSource) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE agent_strategy_applications, agent_episodes, agent_knowledge, agent_working_memory");
        } catch (SQLException e) {
            throw new IllegalStateException("truncating the agent-memory tables failed: " + e.getMessage(), e);
        }
    }

    static String schemaName(Class<?> testClass) {
        String name = "it_" + testClass.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return name.length() > 63 ? name.substring(0, 63) : name;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
