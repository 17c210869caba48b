package dev.agentmemory.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The OpenAPI 3.1 description of the {@link Routes} table, made from the routes themselves. */
final class OpenApi {

    private OpenApi() {
    }

    static Map<String, Object> describe(List<Route> routes, ServerSettings settings) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.1.0");
        doc.put("info", Map.of("title", "agent-memory", "version", version(),
                "description", "Episodes, similarity recall and learned strategies for decision-making agents. "
                        + "JSON field names are the ones 'agent-memory export' writes. Bodies over "
                        + settings.maxBodyBytes() + " bytes are refused with 413."));
        Map<String, Object> paths = new LinkedHashMap<>();
        for (Route r : routes) {
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(r.path(), p -> new LinkedHashMap<>());
            item.put(r.method().toLowerCase(java.util.Locale.ROOT), operation(r));
        }
        doc.put("paths", paths);
        Map<String, Object> components = new LinkedHashMap<>();
        components.put("schemas", Map.of("Error", Schemas.error()));
        components.put("securitySchemes", Map.of("bearer", Map.of("type", "http", "scheme", "bearer",
                "description", "AGENT_MEMORY_API_KEY, or a key of AGENT_MEMORY_API_KEYS_FILE; "
                        + "needed only when the server has keys")));
        doc.put("components", components);
        doc.put("security", List.of(Map.of("bearer", List.of())));
        return doc;
    }

    private static Map<String, Object> operation(Route r) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("operationId", r.operationId());
        op.put("summary", r.summary());
        if (!r.params().isEmpty()) {
            op.put("parameters", r.params().stream().map(name -> Map.of("name", name, "in", "path", "required", true,
                    "schema", Schemas.format("string", "uuid", "the episode id"))).toList());
        }
        if (r.requestSchema() != null) {
            op.put("requestBody", Map.of("required", true,
                    "content", Map.of(Routes.JSON, Map.of("schema", r.requestSchema()))));
        }
        if (r.open()) {
            op.put("security", List.of());
        }
        Map<String, Object> responses = new LinkedHashMap<>();
        String type = r.path().equals("/metrics") ? "text/plain" : Routes.JSON;
        responses.put(String.valueOf(r.status()), Map.of("description", "done",
                "content", Map.of(type, Map.of("schema", r.responseSchema()))));
        Map<String, Object> error = Map.of(Routes.JSON, Map.of("schema", Map.of("$ref", "#/components/schemas/Error")));
        if (r.requestSchema() != null || !r.params().isEmpty()) {
            responses.put("400", Map.of("description", "bad input, naming the field; nothing was written", "content", error));
        }
        if (!r.open()) {
            responses.put("401", Map.of("description", "no key, or a wrong one", "content", error));
            responses.put("403", Map.of("description", "the key does not reach the project", "content", error));
        }
        if (!r.params().isEmpty()) {
            responses.put("404", Map.of("description", "no episode with that id", "content", error));
        }
        if (r.requestSchema() != null) {
            responses.put("413", Map.of("description", "the body is too large", "content", error));
        }
        responses.put("503", Map.of("description", "the store is down, or the request took too long; try again",
                "content", error));
        op.put("responses", responses);
        return op;
    }

    private static String version() {
        String v = OpenApi.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }
}
