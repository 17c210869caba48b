package dev.agentmemory.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.planner.PlannerApplication;
import com.example.planner.PlannerApplication.SprintPlanner;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.core.AgentMemorySystem;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The README's application as it is, with its two properties ({@code planner.properties}), on the
 * real PostgreSQL: {@code spring.datasource.*} (here pointed at the test database) makes the
 * application's Hikari pool, and the starter's memory works on that pool.
 */
@SpringBootTest(classes = PlannerApplication.class, properties = "spring.config.name=planner")
class PostgresApplicationIT {

    private static final String SCHEMA = "it_spring_postgres_application";
    private static final String APPLICATION_NAME = "planner-it";
    /** Before the context opens any connection; older ones (pgbouncer's idle ones, say) are not ours. */
    private static volatile java.sql.Timestamp started = new java.sql.Timestamp(0);

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        started = new java.sql.Timestamp(System.currentTimeMillis() - 1_000);
        TestDatabase.freshSchema(SCHEMA);
        // Over the README's URL, which names a database this machine does not have.
        registry.add("spring.datasource.url", () -> TestDatabase.url(SCHEMA));
        registry.add("spring.datasource.username", () -> TestDatabase.USER);
        registry.add("spring.datasource.password", () -> TestDatabase.PASSWORD);
        registry.add("spring.datasource.hikari.pool-name", () -> "planner-pool");
        registry.add("spring.datasource.hikari.data-source-properties.ApplicationName", () -> APPLICATION_NAME);
    }

    @Autowired
    SprintPlanner planner;

    @Autowired
    AgentMemorySystem memory;

    @Autowired
    DataSource dataSource;

    @Autowired
    HealthContributorRegistry health;

    @Autowired
    MeterRegistry registry;

    @Autowired
    ToolCallbackProvider agentMemoryToolCallbacks;

    @Test
    void theMemoryWorksOnTheApplicationsOwnPool() throws SQLException {
        assertThat(memory.describe()).startsWith("postgres").contains(SCHEMA);
        String project = "pg-" + UUID.randomUUID();
        UUID decision = planner.decide(project, Map.of("backlog_size", 25, "team_velocity", 20));
        planner.outcome(decision, 0.8);

        assertThat(dataSource).isInstanceOf(HikariDataSource.class);
        HikariDataSource pool = (HikariDataSource) dataSource;
        assertThat(pool.getPoolName()).isEqualTo("planner-pool");
        assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isPositive();
        try (Connection c = dataSource.getConnection()) {
            assertThat(single(c, "SELECT outcome_quality FROM agent_episodes WHERE episode_id = ?", decision))
                    .isEqualTo(0.8);
            // Every connection this application opened comes from its pool, which names itself; a pool
            // of the memory's own would carry the driver's default name. Connections opened before the
            // context (another build's, or pgbouncer's idle server connections) are left out.
            try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND application_name = ? AND backend_start >= ?")) {
                s.setString(1, "PostgreSQL JDBC Driver");
                s.setTimestamp(2, started);
                try (ResultSet r = s.executeQuery()) {
                    assertThat(r.next()).isTrue();
                    assertThat(r.getLong(1)).isZero();
                }
            }
        }
    }

    @Test
    void healthIsUpOnPostgres() {
        Health h = ((HealthIndicator) health.getContributor("agentMemory")).health();
        assertThat(h.getStatus()).isEqualTo(Status.UP);
        assertThat(h.getDetails()).containsEntry("store", "postgres");
    }

    @Test
    void rememberAndRecallAreMeasuredTaggedPostgres() {
        double remembered = count("agent.memory.remember");
        double recalled = count("agent.memory.recall");

        planner.decide("pg-meters-" + UUID.randomUUID(), Map.of("backlog_size", 3));

        assertThat(count("agent.memory.remember")).isEqualTo(remembered + 1);
        assertThat(count("agent.memory.recall")).isEqualTo(recalled + 1);
        assertThat(registry.get("agent.memory.embeddings.pending").tag("store", "postgres").gauge().value()).isZero();
    }

    @Test
    void aToolCallRemembersInTheDatabase() throws SQLException {
        ToolCallback remember = Arrays.stream(agentMemoryToolCallbacks.getToolCallbacks())
                .filter(t -> t.getToolDefinition().name().equals("remember_decision")).findFirst().orElseThrow();
        String project = "pg-tool-" + UUID.randomUUID();
        String answer = remember.call("""
                {"projectId": "%s", "perception": {"backlog_size": 14}, "reasoning": {"why": "small backlog"},
                 "action": {"sprint_created": true}, "sprintId": "S-7"}
                """.formatted(project));
        UUID id = UUID.fromString(answer.replaceAll(".*\"episodeId\"\\s*:\\s*\"([^\"]+)\".*", "$1").trim());
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(
                     "SELECT project_id, sprint_id, embedding IS NOT NULL FROM agent_episodes WHERE episode_id = ?")) {
            s.setObject(1, id);
            try (ResultSet r = s.executeQuery()) {
                assertThat(r.next()).as("episode %s in agent_episodes", id).isTrue();
                assertThat(r.getString(1)).isEqualTo(project);
                assertThat(r.getString(2)).isEqualTo("S-7");
                assertThat(r.getBoolean(3)).as("embedded").isTrue();
            }
        }
    }

    private double count(String timer) {
        return registry.find(timer).tag("store", "postgres").timers().stream().mapToDouble(t -> t.count()).sum();
    }

    private static double single(Connection c, String sql, Object parameter) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, parameter);
            try (ResultSet r = s.executeQuery()) {
                assertThat(r.next()).isTrue();
                return r.getDouble(1);
            }
        }
    }
}
