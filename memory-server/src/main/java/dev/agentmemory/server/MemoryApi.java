package dev.agentmemory.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.agentmemory.api.Advice;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.MemoryException;
import dev.agentmemory.api.NotFoundException;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.core.AgentMemorySystem;
import dev.agentmemory.server.ApiKeys.Access;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What the server does with a request, whichever way it came (REST or an MCP tool): reads the
 * JSON arguments with the server's limits, checks the key's projects, calls the memory, and gives
 * back the JSON-ready answer. Every refusal is a {@link MemoryException} naming the field; it is
 * thrown before anything is written.
 */
public final class MemoryApi {

    private final AgentMemorySystem memory;
    private final ServerSettings settings;
    private final ExecutorService workers;

    /**
     * @param memory the memory served
     * @param settings the limits
     * @param workers where calls to the memory run, so that a slow one can be given up on
     */
    public MemoryApi(AgentMemorySystem memory, ServerSettings settings, ExecutorService workers) {
        this.memory = memory;
        this.settings = settings;
        this.workers = workers;
    }

    /** @return the memory served */
    public AgentMemorySystem memory() {
        return memory;
    }

    /**
     * {@code POST /v1/episodes}: one episode or an array of them.
     *
     * @return {@code {"ids": [...]}}, in the order given
     */
    public Map<String, Object> remember(JsonNode body, Access access) {
        List<Episode> batch = new ArrayList<>();
        if (body.isArray()) {
            if (body.isEmpty()) {
                throw new InvalidInputException("episodes", "the array is empty; expected at least one episode");
            }
            if (body.size() > settings.maxBatch()) {
                throw new InvalidInputException("episodes", body.size() + " episodes exceed the batch limit of "
                        + settings.maxBatch());
            }
            for (int i = 0; i < body.size(); i++) {
                try {
                    batch.add(episode(body.get(i), access));
                } catch (InvalidInputException e) {
                    throw new BatchItemException(i, body.size(), e);
                }
            }
        } else {
            batch.add(episode(body, access));
        }
        List<UUID> ids = call("remember", () -> batch.size() == 1
                ? List.of(memory.rememberDecision(batch.get(0))) : memory.rememberDecisions(batch));
        return Map.of("ids", ids.stream().map(UUID::toString).toList());
    }

    /** The one episode of the MCP tool {@code remember_decision}. */
    Map<String, Object> rememberOne(@Nullable JsonNode episode, Access access) {
        Episode e = episode(required(episode, "episode"), access);
        UUID id = call("remember", () -> memory.rememberDecision(e));
        return Map.of("episodeId", id.toString());
    }

    private Episode episode(JsonNode node, Access access) {
        if (!node.isObject()) {
            throw new InvalidInputException("episode", "expected a JSON object, found " + MemoryJson.kind(node));
        }
        for (String map : List.of("perception", "reasoning", "action", "outcome")) {
            checkSize(map, node.get(map));
        }
        Episode e = MemoryJson.convert(node, Episode.class, "episode");
        if (!access.allows(e.projectId())) {
            throw new AccessDeniedException("projectId", e.projectId());
        }
        return e;
    }

    /**
     * {@code GET /v1/episodes/{id}}.
     *
     * @return the episode
     * @throws NotFoundException when there is none with that id
     */
    public Episode get(String id, Access access) {
        UUID uuid = uuid("id", id);
        Episode e = call("get", () -> memory.episodes().getEpisodeById(uuid))
                .orElseThrow(() -> new NotFoundException("episode", uuid));
        if (!access.allows(e.projectId())) {
            throw new AccessDeniedException("id", e.projectId());
        }
        return e;
    }

    /**
     * {@code POST /v1/episodes/{id}/outcome} and the tool {@code record_outcome}.
     *
     * @return {@code {"episodeId": ..., "outcomeQuality": ...}}
     */
    public Map<String, Object> outcome(@Nullable String id, JsonNode body, Access access) {
        object(body, "body", Set.of("outcome", "outcomeQuality", "episodeId"));
        UUID uuid = uuid("episodeId", id);
        JsonNode outcomeNode = required(body.get("outcome"), "outcome");
        checkSize("outcome", outcomeNode);
        Map<String, Object> outcome = map(outcomeNode, "outcome");
        double quality = number(body.get("outcomeQuality"), "outcomeQuality", null);
        call("outcome", () -> {
            Episode e = memory.episodes().getEpisodeById(uuid).orElseThrow(() -> new NotFoundException("episode", uuid));
            if (!access.allows(e.projectId())) {
                throw new AccessDeniedException("episodeId", e.projectId());
            }
            memory.recordOutcome(uuid, outcome, quality);
            return null;
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("episodeId", uuid.toString());
        out.put("outcomeQuality", quality);
        return out;
    }

    /**
     * {@code POST /v1/recall} and the tool {@code recall_similar_situations}. A key scoped to some
     * projects recalls across those only.
     *
     * @return {@code {"episodes": [...]}}, each with its similarity
     */
    public Map<String, Object> recall(JsonNode body, Access access) {
        object(body, "body", Set.of("context", "projectId", "limit"));
        Map<String, Object> context = context(body);
        String projectId = string(body.get("projectId"), "projectId");
        int limit = limit(body, 10);
        if (projectId != null && !access.allows(projectId)) {
            throw new AccessDeniedException("projectId", projectId);
        }
        List<Episode> found = call("recall", () -> {
            if (projectId != null || access.all()) {
                return memory.recallSimilarSituations(context, projectId, limit);
            }
            return recallWithin(context, access, limit);
        });
        return Map.of("episodes", found);
    }

    // A recall across the projects a key reaches: each named project's own recall merged when the
    // patterns name them; else the best of every project, those the key does not reach left out.
    private List<Episode> recallWithin(Map<String, Object> context, Access access, int limit) {
        List<Episode> merged = new ArrayList<>();
        Optional<List<String>> literal = access.literalProjects();
        if (literal.isPresent()) {
            for (String p : literal.get()) {
                merged.addAll(memory.recallSimilarSituations(context, p, limit));
            }
        } else {
            int wide = Math.min(dev.agentmemory.api.AgentMemoryStore.MAX_LIMIT, Math.max(limit * 20, 200));
            for (Episode e : memory.recallSimilarSituations(context, null, wide)) {
                if (access.allows(e.projectId())) {
                    merged.add(e);
                }
            }
        }
        merged.sort(Comparator.comparing((Episode e) -> e.similarity() == null ? 0 : e.similarity()).reversed());
        return merged.size() > limit ? new ArrayList<>(merged.subList(0, limit)) : merged;
    }

    /**
     * {@code POST /v1/strategies/applicable} and the tool {@code get_learned_strategies}.
     *
     * @return {@code {"strategies": [...]}}
     */
    public Map<String, Object> strategies(JsonNode body, Access access) {
        object(body, "body", Set.of("context", "minConfidence"));
        Map<String, Object> context = context(body);
        double minConfidence = number(body.get("minConfidence"), "minConfidence", 0.5);
        List<Strategy> found = call("strategies", () -> memory.getLearnedStrategies(context, minConfidence));
        return Map.of("strategies", found);
    }

    /**
     * {@code POST /v1/advise} and the tool {@code advise}. A key scoped to some projects must name
     * one of them, unless it names exactly one project, which is then taken.
     *
     * @return {@code {"advice": [...]}}
     */
    public Map<String, Object> advise(JsonNode body, Access access) {
        object(body, "body", Set.of("context", "projectId", "limit"));
        Map<String, Object> context = context(body);
        String projectId = scopedProject(string(body.get("projectId"), "projectId"), access);
        int limit = limit(body, 3);
        List<Advice> advice = call("advise", () -> memory.advise(context, projectId, limit));
        return Map.of("advice", advice);
    }

    /**
     * {@code POST /v1/consolidate}: learns strategies from the outcomes recorded.
     *
     * @return {@code {"strategies": [...]}}
     */
    public Map<String, Object> consolidate(JsonNode body, Access access) {
        object(body, "body", Set.of("projectId"));
        String projectId = scopedProject(string(body.get("projectId"), "projectId"), access);
        List<Strategy> strategies = call("consolidate", () -> memory.consolidate(projectId));
        return Map.of("strategies", strategies);
    }

    // Null stands for every project, which only a key that reaches them all may ask for.
    private static @Nullable String scopedProject(@Nullable String projectId, Access access) {
        if (projectId != null) {
            if (!access.allows(projectId)) {
                throw new AccessDeniedException("projectId", projectId);
            }
            return projectId;
        }
        if (access.all()) {
            return null;
        }
        Optional<List<String>> literal = access.literalProjects();
        if (literal.isPresent() && literal.get().size() == 1) {
            return literal.get().get(0);
        }
        throw new AccessDeniedException("projectId", "*");
    }

    /**
     * Runs a call on the memory within the request timeout.
     *
     * @param what the operation, for the timeout's message
     * @param work the call
     * @return what it returned
     * @throws RequestTimeoutException when it took longer than the timeout, or the server is full
     */
    <T> T call(String what, Supplier<T> work) {
        Future<T> f;
        try {
            f = workers.submit(work::get);
        } catch (RejectedExecutionException e) {
            throw new RequestTimeoutException("the server is shutting down or full; try again");
        }
        try {
            return f.get(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new RequestTimeoutException(what + " took longer than the request timeout of "
                    + settings.requestTimeout().toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RequestTimeoutException(what + " was interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new MemoryException(what + " failed: " + cause, cause);
        }
    }

    // --- reading arguments ---

    Map<String, Object> context(JsonNode body) {
        JsonNode c = required(body.get("context"), "context");
        checkSize("context", c);
        return map(c, "context");
    }

    int limit(JsonNode body, int fallback) {
        JsonNode n = body.get("limit");
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new InvalidInputException("limit", n + " is not a whole number");
        }
        int limit = n.intValue();
        if (limit < 1) {
            throw new InvalidInputException("limit", limit + " must be at least 1");
        }
        if (limit > settings.maxLimit()) {
            throw new InvalidInputException("limit", limit + " exceeds the server's maximum of " + settings.maxLimit());
        }
        return limit;
    }

    void checkSize(String field, @Nullable JsonNode node) {
        if (node == null) {
            return;
        }
        int size;
        try {
            size = MemoryJson.MAPPER.writeValueAsBytes(node).length;
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(field, MemoryJson.problem(e));
        }
        if (size > settings.maxContextBytes()) {
            throw new InvalidInputException(field, "is " + size + " bytes of JSON, more than the server's maximum of "
                    + settings.maxContextBytes());
        }
    }

    static void object(JsonNode body, String field, Set<String> allowed) {
        if (!body.isObject()) {
            throw new InvalidInputException(field, "expected a JSON object, found " + MemoryJson.kind(body));
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new InvalidInputException(name, "unknown field; expected " + String.join(", ",
                        allowed.stream().sorted().toList()));
            }
        }
    }

    static JsonNode required(@Nullable JsonNode node, String field) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw new InvalidInputException(field, "is required");
        }
        return node;
    }

    static Map<String, Object> map(JsonNode node, String field) {
        if (!node.isObject()) {
            throw new InvalidInputException(field, "expected a JSON object, found " + MemoryJson.kind(node));
        }
        return MemoryJson.MAPPER.convertValue(node,
                MemoryJson.MAPPER.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, Object.class));
    }

    static @Nullable String string(@Nullable JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidInputException(field, "expected a string or null, found " + MemoryJson.kind(node));
        }
        if (node.asText().isBlank()) {
            throw new InvalidInputException(field, "must not be blank");
        }
        return node.asText();
    }

    static double number(@Nullable JsonNode node, String field, @Nullable Double fallback) {
        if (node == null || node.isNull()) {
            if (fallback == null) {
                throw new InvalidInputException(field, "is required");
            }
            return fallback;
        }
        if (!node.isNumber()) {
            throw new InvalidInputException(field, "expected a number, found " + MemoryJson.kind(node));
        }
        double v = node.doubleValue();
        if (!(v >= 0 && v <= 1)) {
            throw new InvalidInputException(field, v + " is outside [0,1]");
        }
        return v;
    }

    static UUID uuid(String field, @Nullable String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException(field, "is required");
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field, "'" + text + "' is not a UUID");
        }
    }
}
