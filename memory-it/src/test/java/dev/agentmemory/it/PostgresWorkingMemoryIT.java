package dev.agentmemory.it;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.api.WorkingMemory;
import dev.agentmemory.postgres.PostgresSchema;
import dev.agentmemory.postgres.PostgresWorkingMemory;
import dev.agentmemory.testkit.WorkingMemoryContract;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The working-memory contract on PostgreSQL. */
class PostgresWorkingMemoryIT extends WorkingMemoryContract {

    private static HikariDataSource dataSource;

    @BeforeAll
    static void createSchema() {
        dataSource = TestDatabase.freshSchema(PostgresWorkingMemoryIT.class);
        PostgresSchema.migrate(dataSource, 16);
    }

    @AfterAll
    static void closePool() {
        dataSource.close();
    }

    @Override
    protected WorkingMemory newWorkingMemory(Clock clock) {
        TestDatabase.truncateAll(dataSource);
        return new PostgresWorkingMemory(dataSource, clock);
    }
}
