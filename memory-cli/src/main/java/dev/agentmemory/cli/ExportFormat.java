package dev.agentmemory.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.Strategy;
import java.util.Iterator;
import org.jspecify.annotations.Nullable;

/**
 * The export format: JSON lines, one object per line, episodes first, then strategies.
 * <pre>
 * {"type":"episode","episode":{...every field of Episode...},"embedding":[0.1,...] or null,"model":"..."}
 * {"type":"strategy","strategy":{...every field of Strategy...},"embedding":[...] or null,"model":"..."}
 * </pre>
 * {@code model} names the embedding model that made the vector. Times are ISO-8601 text, vectors
 * the stored floats, so that an import gives back equal episodes and strategies.
 */
final class ExportFormat {

    static final String EPISODE = "episode";
    static final String STRATEGY = "strategy";

    private ExportFormat() {
    }

    /** One line of the export, read and checked. */
    record Line(@Nullable Episode episode, @Nullable Strategy strategy, float @Nullable [] embedding,
                @Nullable String model) {
    }

    static String episodeLine(Episode episode, float @Nullable [] embedding, @Nullable String model) {
        return line(EPISODE, Json.MAPPER.valueToTree(episode), embedding, model);
    }

    static String strategyLine(Strategy strategy, float @Nullable [] embedding, @Nullable String model) {
        return line(STRATEGY, Json.MAPPER.valueToTree(strategy), embedding, model);
    }

    private static String line(String type, JsonNode value, float @Nullable [] embedding, @Nullable String model) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("type", type);
        o.set(type, value);
        if (embedding == null) {
            o.putNull("embedding");
        } else {
            ArrayNode a = o.putArray("embedding");
            for (float f : embedding) {
                a.add(f);
            }
        }
        o.put("model", model);
        return Json.write(o);
    }

    /**
     * @param where the line's place, for errors
     * @param node the line's JSON
     * @return the line, with its episode or strategy validated
     */
    static Line parse(String where, JsonNode node) {
        if (!node.isObject()) {
            throw new InvalidInputException(where, "expected a JSON object, found " + Json.kind(node));
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("type") && !name.equals("embedding") && !name.equals("model")
                    && !name.equals(EPISODE) && !name.equals(STRATEGY)) {
                throw new InvalidInputException(where, "unknown field '" + name + "'");
            }
        }
        JsonNode type = node.get("type");
        if (type == null || !type.isTextual()) {
            throw new InvalidInputException(where, "'type' is missing; expected \"episode\" or \"strategy\"");
        }
        String model = text(where, node.get("model"));
        float[] embedding = vector(where, node.get("embedding"));
        return switch (type.asText()) {
            case EPISODE -> new Line(Json.convert(required(where, node, EPISODE), Episode.class, where + ", episode"),
                    null, embedding, model);
            case STRATEGY -> new Line(null, Json.convert(required(where, node, STRATEGY), Strategy.class,
                    where + ", strategy"), embedding, model);
            default -> throw new InvalidInputException(where, "type '" + type.asText()
                    + "' is neither \"episode\" nor \"strategy\"");
        };
    }

    private static JsonNode required(String where, JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidInputException(where, "'" + field + "' is missing");
        }
        return value;
    }

    private static @Nullable String text(String where, @Nullable JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidInputException(where, "'model' must be a string, found " + Json.kind(node));
        }
        return node.asText();
    }

    private static float @Nullable [] vector(String where, @Nullable JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw new InvalidInputException(where, "'embedding' must be an array of numbers or null, found "
                    + Json.kind(node));
        }
        float[] v = new float[node.size()];
        for (int i = 0; i < v.length; i++) {
            JsonNode x = node.get(i);
            if (!x.isNumber()) {
                throw new InvalidInputException(where, "embedding[" + i + "] is " + Json.kind(x) + ", not a number");
            }
            v[i] = x.floatValue();
        }
        return v;
    }
}
