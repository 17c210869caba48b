package dev.agentmemory.server;

import java.util.List;
import java.util.Map;

/** The routes on what the memory learned across episodes: advice and consolidation (see {@link Routes}). */
final class LearningRoutes {

    private LearningRoutes() {
    }

    static void add(List<Route> routes, MemoryApi api, ServerSettings settings, Map<String, Object> strategies) {
        // advise and consolidate join here once AgentMemorySystem offers them
    }
}
