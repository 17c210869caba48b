package dev.agentmemory.it;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.api.AgentMemoryStore;
import dev.agentmemory.postgres.PostgresAgentMemoryStore;
import dev.agentmemory.postgres.PostgresSchema;
import dev.agentmemory.testkit.AgentMemoryStoreContract;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The episodic-memory contract on PostgreSQL + pgvector, with the selective-recall corpus at 50,000. */
class PostgresAgentMemoryStoreIT extends AgentMemoryStoreContract {

    private static HikariDataSource dataSource;

    @BeforeAll
    static void createSchema() {
        dataSource = TestDatabase.freshSchema(PostgresAgentMemoryStoreIT.class);
        PostgresSchema.migrate(dataSource, DIMENSIONS);
    }

    @AfterAll
    static void closePool() {
        dataSource.close();
    }

    @Override
    protected AgentMemoryStore newStore(int dimensions) {
        TestDatabase.truncateAll(dataSource);
        return new PostgresAgentMemoryStore(dataSource, dimensions);
    }

    @Override
    protected long countRowsDirectly() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM agent_episodes")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected int selectiveRecallCorpusSize() {
        return 50_000;
    }
}
