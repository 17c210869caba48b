package dev.agentmemory.server;

import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import java.util.List;

/** The MCP tool on what the memory learned across episodes: {@code advise} (see {@link McpTools}). */
final class LearningTools {

    private LearningTools() {
    }

    static void add(List<SyncToolSpecification> tools, MemoryApi api, ServerSettings settings) {
        // advise joins here once AgentMemorySystem offers it
    }
}
