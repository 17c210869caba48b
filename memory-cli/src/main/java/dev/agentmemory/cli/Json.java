package dev.agentmemory.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.server.MemoryJson;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * JSON in and out of the command line: the models as Jackson writes them (times as ISO-8601 text),
 * and bad JSON turned into one {@link InvalidInputException} line that says where and what.
 */
final class Json {

    // One mapping of the models for export, import and the server's JSON.
    static final ObjectMapper MAPPER = dev.agentmemory.server.MemoryJson.MAPPER;

    // One value and nothing after it: a line of JSON lines, an option's value.
    private static final ObjectReader SINGLE = MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    // The field MemoryJson names when the problem is the whole value, not a field inside it.
    private static final String WHOLE = "(the value)";

    /**
     * A value read from the input and the line it starts on.
     *
     * @param line the line the value starts on, 1 for the first
     * @param node the value
     * @param index its place in the array it came in, 0 for the first; -1 when not in an array
     * @param count how many elements that array holds; 0 when not in an array
     */
    record Located(int line, JsonNode node, int index, int count) {
        Located(int line, JsonNode node) {
            this(line, node, -1, 0);
        }
    }

    private Json() {
    }

    /**
     * Reads one JSON value, an array of values, or a sequence of values (JSON lines).
     *
     * @param source the input's name in errors ("stdin", a file name)
     * @param in the input; not closed
     * @return the values, each with the line it starts on; an array's elements one by one
     * @throws InvalidInputException at the first malformed value
     */
    static List<Located> readValues(String source, Reader in) {
        List<Located> values = new ArrayList<>();
        // The line the value being read starts on: where an unfinished value is reported.
        int started = 1;
        try (JsonParser p = MAPPER.createParser(in)) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_ARRAY) {
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t == null) {
                        throw new InvalidInputException(source, "the array is not closed");
                    }
                    started = p.currentTokenLocation().getLineNr();
                    values.add(new Located(started, p.readValueAsTree()));
                }
                if (p.nextToken() != null) {
                    throw new InvalidInputException(where(source, p.currentTokenLocation().getLineNr()),
                            "unexpected text after the array");
                }
                int count = values.size();
                for (int i = 0; i < count; i++) {
                    values.set(i, new Located(values.get(i).line(), values.get(i).node(), i, count));
                }
            } else {
                while (t != null) {
                    started = p.currentTokenLocation().getLineNr();
                    values.add(new Located(started, p.readValueAsTree()));
                    t = p.nextToken();
                }
            }
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(where(source, Math.max(started, lastLine(values))), problem(e));
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(source, "is not UTF-8 text");
        } catch (IOException e) {
            throw new InvalidInputException(source, "cannot be read: " + e.getMessage());
        }
        return values;
    }

    /**
     * @param source the input's name in errors
     * @param line the line number, 1 for the first
     * @param text one line of JSON
     * @return the value on it
     */
    static JsonNode readLine(String source, int line, String text) {
        try {
            return SINGLE.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(where(source, line), problem(e));
        }
    }

    /**
     * A JSON object given on the command line: the JSON itself, {@code @FILE} or {@code -} for
     * standard input.
     *
     * @param option the option's name, for errors
     * @param value what was given
     * @param context where standard input comes from
     * @return the object as a map
     */
    static Map<String, Object> objectArgument(String option, String value, CliContext context) {
        String text;
        String source = option;
        if (value.equals("-")) {
            text = Inputs.readAll(Inputs.open("-", context), "stdin");
            source = option + " (stdin)";
        } else if (value.startsWith("@")) {
            String file = value.substring(1);
            text = Inputs.readAll(Inputs.open(file, context), file);
            source = option + " (" + file + ")";
        } else {
            text = value;
        }
        JsonNode node;
        try {
            node = SINGLE.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(source, problem(e));
        }
        if (node == null || node.isMissingNode()) {
            throw new InvalidInputException(source, "is empty; expected a JSON object");
        }
        if (!node.isObject()) {
            throw new InvalidInputException(source, "expected a JSON object, found " + kind(node));
        }
        return MAPPER.convertValue(node, MAPPER.getTypeFactory().constructMapType(Map.class, String.class, Object.class));
    }

    /**
     * @param node an object
     * @param type the model to read it as
     * @param where the value's place in the input, for errors
     * @return the model, validated by its constructor
     * @throws InvalidInputException "where: field: problem", in the words the server uses for the
     *     same value ({@link MemoryJson#convert})
     */
    static <T> T convert(JsonNode node, Class<T> type, String where) {
        try {
            return MemoryJson.convert(node, type, WHOLE);
        } catch (InvalidInputException e) {
            // A problem with the whole value names no field of its own: say only where it is.
            throw new InvalidInputException(where, e.field().equals(WHOLE) ? e.problem() : String.valueOf(e.getMessage()));
        }
    }

    /**
     * @param value a value read from the input
     * @param type the model to read it as
     * @param source the input's name
     * @return the model; an array's element that fails is named by its place, as the server does
     */
    static <T> T convert(Located value, Class<T> type, String source) {
        try {
            return convert(value.node(), type, where(source, value.line()));
        } catch (InvalidInputException e) {
            if (value.index() < 0) {
                throw e;
            }
            throw new InvalidInputException(e.field(), MemoryJson.inElement(e.problem(), value.index(), value.count()));
        }
    }

    /** @return the value as one line of JSON */
    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the value as indented JSON */
    static String writePretty(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String where(String source, int line) {
        return source + " line " + line;
    }

    static String kind(JsonNode node) {
        return MemoryJson.kind(node);
    }

    // A value that failed to parse started after the last one read, on the next line at the earliest.
    private static int lastLine(List<Located> values) {
        return values.isEmpty() ? 1 : values.get(values.size() - 1).line() + 1;
    }

    /** One line saying what is wrong, in the server's words (one home for both: {@link MemoryJson#problem}). */
    static String problem(JsonProcessingException e) {
        return MemoryJson.problem(e);
    }
}
