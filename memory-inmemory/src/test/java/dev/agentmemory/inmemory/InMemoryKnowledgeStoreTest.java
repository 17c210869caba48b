package dev.agentmemory.inmemory;

import dev.agentmemory.api.KnowledgeStore;
import dev.agentmemory.testkit.KnowledgeStoreContract;

class InMemoryKnowledgeStoreTest extends KnowledgeStoreContract {

    @Override
    protected KnowledgeStore newKnowledgeStore(int dimensions, double confidenceFloor, int minApplications) {
        return new InMemoryKnowledgeStore(dimensions, confidenceFloor, minApplications);
    }
}
