package dev.agentmemory.server;

import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import java.util.List;

/** The MCP tool on what the memory learned across episodes: {@code advise} (see {@link McpTools}). */
final class LearningTools {

    private LearningTools() {
    }

    static void add(List<SyncToolSpecification> tools, MemoryApi api, ServerSettings settings) {
        tools.add(McpTools.tool("advise", "What was done in situations like this one and how it turned out: actions "
                        + "with their expected quality, confidence and the episodes they rest on, best first.",
                Schemas.adviseArguments(settings.maxLimit()), (args, access) -> api.advise(args, access)));
    }
}
