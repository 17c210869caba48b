package dev.agentmemory.it;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.api.KnowledgeStore;
import dev.agentmemory.postgres.PostgresKnowledgeStore;
import dev.agentmemory.postgres.PostgresSchema;
import dev.agentmemory.testkit.KnowledgeStoreContract;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The knowledge-store contract on PostgreSQL, 50 concurrent applications included. */
class PostgresKnowledgeStoreIT extends KnowledgeStoreContract {

    private static HikariDataSource dataSource;

    @BeforeAll
    static void createSchema() {
        dataSource = TestDatabase.freshSchema(PostgresKnowledgeStoreIT.class);
        PostgresSchema.migrate(dataSource, DIMENSIONS);
    }

    @AfterAll
    static void closePool() {
        dataSource.close();
    }

    @Override
    protected KnowledgeStore newKnowledgeStore(int dimensions, double confidenceFloor, int minApplications) {
        TestDatabase.truncateAll(dataSource);
        return new PostgresKnowledgeStore(dataSource, dimensions, confidenceFloor, minApplications, Clock.systemUTC());
    }
}
