package dev.agentmemory.inmemory;

import dev.agentmemory.api.AgentMemoryStore;
import dev.agentmemory.testkit.AgentMemoryStoreContract;

class InMemoryAgentMemoryStoreTest extends AgentMemoryStoreContract {

    @Override
    protected AgentMemoryStore newStore(int dimensions) {
        return new InMemoryAgentMemoryStore(dimensions);
    }
}
