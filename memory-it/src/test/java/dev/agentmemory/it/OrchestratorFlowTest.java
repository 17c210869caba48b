package dev.agentmemory.it;

import dev.agentmemory.core.AgentMemory;

/** The orchestrator's flow on the in-memory store. */
class OrchestratorFlowTest extends OrchestratorFlowContract {

    @Override
    protected AgentMemory.Builder backend() {
        return AgentMemory.builder().store("inmemory");
    }
}
