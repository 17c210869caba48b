package dev.agentmemory.server;

import static dev.agentmemory.server.Schemas.arrayOf;
import static dev.agentmemory.server.Schemas.wrap;

import java.util.List;
import java.util.Map;

/** The routes on what the memory learned across episodes: advice and consolidation (see {@link Routes}). */
final class LearningRoutes {

    private LearningRoutes() {
    }

    static void add(List<Route> routes, MemoryApi api, ServerSettings settings, Map<String, Object> strategies) {
        routes.add(new Route("POST", "/v1/advise", "advise",
                "What was done in situations like this one and how it turned out, best first.",
                Schemas.adviseArguments(settings.maxLimit()), 200, wrap("advice", arrayOf(Schemas.advice(), "advice")),
                false, call -> api.advise(call.body(), call.access())));
        routes.add(new Route("POST", "/v1/consolidate", "consolidate",
                "Learns strategies from the outcomes recorded; answers the strategies it made or refreshed.",
                Schemas.consolidateArguments(), 200, strategies, false,
                call -> api.consolidate(call.body(), call.access())));
    }
}
