package dev.agentmemory.it;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.core.AgentMemory;
import org.junit.jupiter.api.AfterEach;

/** The orchestrator's flow on PostgreSQL with pgvector. */
class OrchestratorFlowIT extends OrchestratorFlowContract {

    private HikariDataSource dataSource;

    @Override
    protected AgentMemory.Builder backend() {
        dataSource = TestDatabase.freshSchema(OrchestratorFlowIT.class);
        return AgentMemory.builder().store("postgres").dataSource(dataSource).migrate(true);
    }

    @AfterEach
    void closePool() {
        if (dataSource != null) {
            dataSource.close();
        }
    }
}
