package dev.agentmemory.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.agentmemory.api.InvalidInputException;
import java.time.temporal.Temporal;
import java.util.Collection;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;
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
     *     field inside the object (or {@code field} when there is none) and what is wrong, in our
     *     words: {@code "perception: expected a JSON object, found a string"}
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
            throw invalid(e, field);
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

    /**
     * What is wrong with one element of an array, in the words the command line and the server
     * share: the element's own problem and which element it is, counting from 1.
     *
     * @param problem what is wrong with the element ("action: is required")
     * @param index the element's place, 0 for the first
     * @param count how many elements the array holds
     * @return e.g. {@code "action: is required (element 2 of 3 in the array)"}
     */
    public static String inElement(String problem, int index, int count) {
        return problem + " (element " + (index + 1) + " of " + count + " in the array)";
    }

    /**
     * @param e what Jackson threw while reading a model
     * @param field the field to name when the failure is not inside one (the whole value)
     * @return the failure in our words, naming the field inside the value where there is one
     */
    public static InvalidInputException invalid(JsonProcessingException e, String field) {
        if (e instanceof JsonMappingException m && !(e instanceof UnrecognizedPropertyException) && !m.getPath().isEmpty()) {
            return new InvalidInputException(path(m, null), mismatch(m));
        }
        return new InvalidInputException(field, problem(e));
    }

    /** One line saying what is wrong, without Jackson's source excerpt and class names. */
    public static String problem(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown field '" + path(u, u.getPropertyName()) + "'";
        }
        String message = e.getOriginalMessage();
        if (message != null && message.startsWith("Trailing token")) {
            return "unexpected text after the JSON value";
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            return "field '" + path(m, null) + "': " + mismatch(m);
        }
        return "malformed JSON: " + oneLine(e.getOriginalMessage());
    }

    // What was expected and what was found, without Jackson's class names.
    private static String mismatch(JsonMappingException m) {
        if (m instanceof InvalidFormatException f) {
            return "'" + oneLine(String.valueOf(f.getValue())) + "' is not " + expected(f.getTargetType());
        }
        if (m instanceof MismatchedInputException mi && mi.getTargetType() != null) {
            String message = String.valueOf(m.getOriginalMessage());
            // A primitive that is null or absent: the parser stands on the object around it.
            String found = message.startsWith("Cannot map `null`") ? "null or nothing"
                    : m.getProcessor() instanceof JsonParser p ? found(p.currentToken()) : null;
            return "expected " + expected(mi.getTargetType()) + (found == null ? "" : ", found " + found);
        }
        return oneLine(String.valueOf(m.getOriginalMessage()));
    }

    private static String expected(Class<?> type) {
        if (Map.class.isAssignableFrom(type)) {
            return "a JSON object";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a JSON array";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == UUID.class) {
            return "a UUID";
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "an ISO-8601 time such as 2026-01-31T12:00:00Z";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type.isPrimitive() || Number.class.isAssignableFrom(type)) {
            return type == int.class || type == Integer.class || type == long.class || type == Long.class
                    ? "a whole number" : "a number";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        return "a JSON object";
    }

    private static @Nullable String found(@Nullable JsonToken t) {
        if (t == null) {
            return null;
        }
        return switch (t) {
            case START_OBJECT, END_OBJECT, FIELD_NAME -> "an object";
            case START_ARRAY, END_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> null;
        };
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
