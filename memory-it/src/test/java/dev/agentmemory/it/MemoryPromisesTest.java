package dev.agentmemory.it;

import dev.agentmemory.core.AgentMemory;

/** The promises of issue 12 on the in-memory store. */
class MemoryPromisesTest extends MemoryPromisesContract {

    @Override
    protected AgentMemory.Builder backend() {
        return AgentMemory.builder().store("inmemory");
    }

    @Override
    protected String backendName() {
        return "inmemory";
    }
}
