package dev.agentmemory.server;

import static dev.agentmemory.server.Schemas.arrayOf;
import static dev.agentmemory.server.Schemas.wrap;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.Objects;

/**
 * The REST routes of the contract, in one table: {@link RestServlet} dispatches on it and
 * {@link OpenApi} describes it.
 */
final class Routes {

    static final String JSON = "application/json";
    static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

    private Routes() {
    }

    /**
     * @param api what the memory routes call
     * @param health the health check
     * @param registry the registry {@code /metrics} scrapes
     * @param settings the limits, for the schemas
     * @return every route, the OpenAPI description's own included
     */
    static List<Route> all(MemoryApi api, Health health, PrometheusMeterRegistry registry, ServerSettings settings) {
        List<Route> routes = new ArrayList<>();
        Map<String, Object> episode = Schemas.episode();
        Map<String, Object> episodes = arrayOf(episode, "episodes");
        Map<String, Object> strategies = wrap("strategies", arrayOf(Schemas.strategy(), "strategies"));

        Map<String, Object> oneOrMany = new LinkedHashMap<>();
        oneOrMany.put("oneOf", List.of(episode, episodes));
        oneOrMany.put("description", "one episode, or an array of at most " + settings.maxBatch());
        routes.add(new Route("POST", "/v1/episodes", "rememberDecisions",
                "Remembers one decision or a batch; answers their ids in order.", oneOrMany, 201,
                wrap("ids", arrayOf(Schemas.format("string", "uuid", "an episode id"), "ids")), false,
                call -> api.remember(call.body(), call.access())));
        routes.add(new Route("GET", "/v1/episodes/{id}", "getEpisode", "One episode, or 404.", null, 200, episode, false,
                call -> api.get(call.param("id"), call.access())));
        routes.add(new Route("POST", "/v1/episodes/{id}/outcome", "recordOutcome",
                "Records how a decision turned out.", Schemas.outcomeBody(), 200,
                Schemas.object(Map.of("episodeId", Schemas.format("string", "uuid", "the episode"),
                        "outcomeQuality", Schemas.type("number", "as recorded")), List.of("episodeId")), false,
                call -> api.outcome(call.param("id"), call.body(), call.access())));
        routes.add(new Route("POST", "/v1/recall", "recallSimilarSituations",
                "Past situations similar to the context, most similar first, each with its similarity.",
                Schemas.recallArguments(settings.maxLimit()), 200, wrap("episodes", episodes), false,
                call -> api.recall(call.body(), call.access())));
        routes.add(new Route("POST", "/v1/strategies/applicable", "getLearnedStrategies",
                "Strategies that apply in the context, most confident first.", Schemas.strategiesArguments(), 200,
                strategies, false, call -> api.strategies(call.body(), call.access())));
        LearningRoutes.add(routes, api, settings, strategies);
        routes.add(new Route("GET", "/v1/health", "health",
                "200 while the store answers, 503 otherwise. Answers without a key; it tells nothing stored.", null,
                200, Schemas.object(Map.of("status", Schemas.type("string", "up or down")), List.of("status")), true,
                call -> health.check()));
        routes.add(new Route("GET", "/metrics", "metrics",
                "Prometheus text: request counts and latencies per route, and the memory's own meters.", null, 200,
                Schemas.type("string", "Prometheus text format"), false,
                call -> new Route.Reply(200, PROMETHEUS, registry.scrape())));
        // The description is made from the finished table, its own route included.
        AtomicReference<Map<String, Object>> document = new AtomicReference<>();
        routes.add(new Route("GET", "/v1/openapi.json", "openapi", "This description, OpenAPI 3.1.", null, 200,
                Schemas.type("object", "an OpenAPI 3.1 document"), false, call -> Objects.requireNonNull(document.get())));
        List<Route> all = List.copyOf(routes);
        document.set(OpenApi.describe(all, settings));
        return all;
    }
}
