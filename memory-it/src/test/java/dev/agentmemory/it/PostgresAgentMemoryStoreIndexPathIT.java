package dev.agentmemory.it;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.api.AgentMemoryStore;
import dev.agentmemory.postgres.PostgresAgentMemoryStore;
import dev.agentmemory.postgres.PostgresSchema;
import dev.agentmemory.testkit.AgentMemoryStoreContract;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The episodic-memory contract on the HNSW index path: the exact-scan cap at 0, so that every
 * search walks the index first, as searches of large tables do, and the contract proves that path
 * too, filters and thresholds included.
 */
class PostgresAgentMemoryStoreIndexPathIT extends AgentMemoryStoreContract {

    private static HikariDataSource dataSource;

    @BeforeAll
    static void createSchema() {
        dataSource = TestDatabase.freshSchema(PostgresAgentMemoryStoreIndexPathIT.class);
        PostgresSchema.migrate(dataSource, DIMENSIONS);
    }

    @AfterAll
    static void closePool() {
        dataSource.close();
    }

    @Override
    protected AgentMemoryStore newStore(int dimensions) {
        TestDatabase.truncateAll(dataSource);
        return new PostgresAgentMemoryStore(dataSource, dimensions, Clock.systemUTC(), 0);
    }
}
