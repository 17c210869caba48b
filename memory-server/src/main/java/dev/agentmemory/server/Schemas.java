package dev.agentmemory.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON Schemas of the server's arguments and answers, written once: the REST routes' OpenAPI
 * description and the MCP tools' input schemas are both made from these.
 */
final class Schemas {

    private Schemas() {
    }

    static Map<String, Object> object(Map<String, Object> properties, List<String> required) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("type", "object");
        s.put("properties", properties);
        if (!required.isEmpty()) {
            s.put("required", required);
        }
        s.put("additionalProperties", false);
        return s;
    }

    static Map<String, Object> type(String type, String description) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("type", type);
        s.put("description", description);
        return s;
    }

    static Map<String, Object> nullable(String type, String description) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("type", List.of(type, "null"));
        s.put("description", description);
        return s;
    }

    static Map<String, Object> format(String type, String format, String description) {
        Map<String, Object> s = type(type, description);
        s.put("format", format);
        return s;
    }

    static Map<String, Object> bounded(String type, Number min, Number max, String description) {
        Map<String, Object> s = type(type, description);
        s.put("minimum", min);
        s.put("maximum", max);
        return s;
    }

    static Map<String, Object> arrayOf(Map<String, Object> items, String description) {
        Map<String, Object> s = type("array", description);
        s.put("items", items);
        return s;
    }

    static Map<String, Object> freeObject(String description) {
        Map<String, Object> s = type("object", description);
        s.put("additionalProperties", true);
        return s;
    }

    /** An episode as {@code export} writes it; the four required fields are the caller's. */
    static Map<String, Object> episode() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("episodeId", format("string", "uuid", "assigned by the server when absent"));
        p.put("projectId", type("string", "the project (tenant) the decision belongs to"));
        p.put("timestamp", format("string", "date-time", "when the decision was taken; defaults to now"));
        p.put("perception", freeObject("the situation as the agent saw it"));
        p.put("reasoning", freeObject("why it decided as it did"));
        p.put("action", freeObject("what it did"));
        p.put("outcome", freeObject("how it turned out; null until recorded"));
        p.put("outcomeQuality", bounded("number", 0, 1, "the outcome's quality; null until recorded"));
        p.put("outcomeRecordedAt", format("string", "date-time", "when the outcome was recorded"));
        p.put("agentVersion", type("string", "defaults to 1.0.0"));
        p.put("controlMode", type("string", "defaults to rule_based_only"));
        p.put("decisionSource", type("string", "defaults to rule_based_only"));
        p.put("sprintId", type("string", "optional"));
        p.put("chronicleNoteId", format("string", "uuid", "optional"));
        p.put("similarity", type("number", "set only on recall results"));
        Map<String, Object> s = new LinkedHashMap<>(object(p, List.of("projectId", "perception", "reasoning", "action")));
        // Nullable fields come back as null in answers; a reader must accept them.
        s.remove("additionalProperties");
        return s;
    }

    static Map<String, Object> context() {
        return freeObject("the present situation, as the agent perceives it");
    }

    static Map<String, Object> recallArguments(int maxLimit) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("context", context());
        p.put("projectId", nullable("string", "only this project; null or absent recalls across every project the key reaches"));
        p.put("limit", bounded("integer", 1, maxLimit, "at most this many; defaults to 10"));
        return object(p, List.of("context"));
    }

    static Map<String, Object> outcomeBody() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("outcome", freeObject("what happened"));
        p.put("outcomeQuality", bounded("number", 0, 1, "how good it was"));
        return object(p, List.of("outcome", "outcomeQuality"));
    }

    static Map<String, Object> outcomeArguments() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("episodeId", format("string", "uuid", "the episode whose outcome this is"));
        p.put("outcome", freeObject("what happened"));
        p.put("outcomeQuality", bounded("number", 0, 1, "how good it was"));
        return object(p, List.of("episodeId", "outcome", "outcomeQuality"));
    }

    static Map<String, Object> strategiesArguments() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("context", context());
        p.put("minConfidence", bounded("number", 0, 1, "only strategies at least this confident; defaults to 0.5"));
        return object(p, List.of("context"));
    }

    static Map<String, Object> adviseArguments(int maxLimit) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("context", context());
        p.put("projectId", nullable("string", "only this project's evidence; null for every project the key reaches"));
        p.put("limit", bounded("integer", 1, maxLimit, "at most this many; defaults to 3"));
        return object(p, List.of("context"));
    }

    static Map<String, Object> consolidateArguments() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("projectId", nullable("string", "only this project's episodes; null for every project"));
        return object(p, List.of());
    }

    static Map<String, Object> rememberArguments() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("episode", episode());
        return object(p, List.of("episode"));
    }

    static Map<String, Object> strategy() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("knowledgeId", format("string", "uuid", "the strategy's id"));
        p.put("knowledgeType", type("string", "strategy"));
        p.put("content", freeObject("the conditions and the advice"));
        p.put("description", type("string", "what the strategy says, in words"));
        p.put("confidence", bounded("number", 0, 1, "how far the evidence supports it"));
        p.put("timesApplied", type("integer", "how often it was applied"));
        p.put("successRate", type("number", "successes / applications; null before the first"));
        Map<String, Object> s = type("object", "a learned strategy, as export writes it");
        s.put("properties", p);
        return s;
    }

    static Map<String, Object> advice() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("action", freeObject("the action advised"));
        p.put("expectedQuality", bounded("number", 0, 1, "the outcome quality expected of it"));
        p.put("confidence", bounded("number", 0, 1, "how far the evidence supports it"));
        p.put("evidence", type("integer", "how many episodes back it"));
        p.put("episodeIds", arrayOf(format("string", "uuid", "an episode"), "the episodes it rests on"));
        Map<String, Object> s = type("object", "one piece of advice");
        s.put("properties", p);
        return s;
    }

    static Map<String, Object> wrap(String name, Map<String, Object> schema) {
        return object(Map.of(name, schema), List.of(name));
    }

    static Map<String, Object> error() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("error", type("string", "what is wrong, in the library's words"));
        p.put("field", type("string", "the field that is wrong, when one is"));
        p.put("index", type("integer", "the refused episode's place in a batch"));
        Map<String, Object> s = type("object", "a refusal; nothing was written");
        s.put("properties", p);
        s.put("required", List.of("error"));
        return s;
    }
}
