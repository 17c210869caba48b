package dev.agentmemory.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.agentmemory.api.InvalidInputException;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * The one JSON mapping of the models, shared by {@code export}/{@code import} and the server:
 * Jackson on the records, times as ISO-8601 text. A model that fails its own checks while being
 * read gives back the model's own {@link InvalidInputException}, with its words and field.
 */
public final class MemoryJson {

    /** The mapper: the models' field names, ISO-8601 times, no null for a primitive. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private MemoryJson() {
    }

    /**
     * @param node a JSON object
     * @param type the model to read it as
     * @param field the field the object came in, for errors
     * @return the model, validated by its constructor
     * @throws InvalidInputException the model's own, when it refuses a value; else one naming the
     *     field and what is wrong
     */
    public static <T> T convert(JsonNode node, Class<T> type, String field) {
        if (!node.isObject()) {
            throw new InvalidInputException(field, "expected a JSON object, found " + kind(node));
        }
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof InvalidInputException invalid) {
                    throw invalid;
                }
            }
            throw new InvalidInputException(field, problem(e));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field, oneLine(String.valueOf(e.getMessage())));
        }
    }

    /** @return what kind of JSON value this is, as a phrase: "an array", "a string" */
    public static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** One line saying what is wrong, without Jackson's source excerpt and class names. */
    public static String problem(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown field '" + path(u, u.getPropertyName()) + "'";
        }
        if (e instanceof InvalidFormatException f) {
            return "field '" + path(f, null) + "': " + oneLine(String.valueOf(f.getValue())) + " is not a valid "
                    + f.getTargetType().getSimpleName();
        }
        String message = e.getOriginalMessage();
        if (message != null && message.startsWith("Trailing token")) {
            return "unexpected text after the JSON value";
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            return "field '" + path(m, null) + "': " + oneLine(message);
        }
        return "malformed JSON: " + oneLine(message);
    }

    private static String path(JsonMappingException e, @Nullable String last) {
        StringJoiner path = new StringJoiner(".");
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                path.add(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                path.add("[" + r.getIndex() + "]");
            }
        }
        String p = path.toString();
        if (last != null && !p.endsWith(last)) {
            p = p.isEmpty() ? last : p + "." + last;
        }
        return p;
    }

    /** @return the text on one line, without the source excerpt Jackson appends */
    public static String oneLine(String text) {
        String s = text.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
        int at = s.indexOf(" at [Source:");
        return at > 0 ? s.substring(0, at) : s;
    }
}
