package dev.agentmemory.it;

import dev.agentmemory.core.AgentMemory;
import dev.agentmemory.core.AgentMemorySystem;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** {@link ServerContract} on the in-memory store with the local model, the default configuration. */
class InMemoryServerIT extends ServerContract {

    @Override
    AgentMemorySystem openMemory() {
        return AgentMemory.builder().store("inmemory").build();
    }

    @Override
    Map<String, String> cliEnvironment() {
        return Map.of();
    }

    @Override
    List<String> cliOptions() {
        return List.of();
    }

    @Override
    void storedByAnotherProcess(UUID id) {
        // The in-memory store of 'agent-memory mcp' ended with its process; the recall through it
        // already showed the episode was stored.
    }
}
