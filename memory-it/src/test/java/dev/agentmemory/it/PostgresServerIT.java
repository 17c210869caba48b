package dev.agentmemory.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.core.AgentMemory;
import dev.agentmemory.core.AgentMemorySystem;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** {@link ServerContract} on PostgreSQL with pgvector and the local model. */
class PostgresServerIT extends ServerContract {

    private HikariDataSource dataSource;

    @Override
    AgentMemorySystem openMemory() {
        dataSource = TestDatabase.freshSchema(PostgresServerIT.class);
        return AgentMemory.builder().store("postgres").dataSource(dataSource).migrate(true).build();
    }

    @Override
    @org.junit.jupiter.api.AfterAll
    void stop() {
        super.stop();
        dataSource.close();
    }

    @Override
    Map<String, String> cliEnvironment() {
        return Map.of("AGENT_MEMORY_STORE", "postgres",
                "AGENT_MEMORY_JDBC_URL", TestDatabase.urlWithSchema(TestDatabase.JDBC_URL,
                        TestDatabase.schemaName(PostgresServerIT.class)),
                "AGENT_MEMORY_DB_USER", TestDatabase.USER,
                "AGENT_MEMORY_DB_PASSWORD", TestDatabase.PASSWORD);
    }

    @Override
    List<String> cliOptions() {
        return List.of();
    }

    @Override
    void storedByAnotherProcess(UUID id) {
        // Read back as any other reader of the table would, in plain SQL.
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(
                     "SELECT outcome_quality FROM agent_episodes WHERE episode_id = ?")) {
            s.setObject(1, id);
            try (ResultSet r = s.executeQuery()) {
                assertThat(r.next()).as("episode " + id + " stored by agent-memory mcp").isTrue();
                assertThat(r.getDouble(1)).isEqualTo(0.6);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
