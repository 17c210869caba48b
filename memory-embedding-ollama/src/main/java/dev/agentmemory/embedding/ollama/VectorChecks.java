package dev.agentmemory.embedding.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentmemory.api.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Checks what goes out (texts) and what comes back (vectors) for both embedders, and remembers the
 * size of the vectors the server answers with: every later answer must have the same size, and the
 * configured size when one was configured.
 */
final class VectorChecks {

    private final int expected;
    private final AtomicInteger learned = new AtomicInteger();

    /** @param expected the configured size, or 0 */
    VectorChecks(int expected) {
        this.expected = expected;
    }

    /** @return the size known so far: from answers, else the configured one, else 0 */
    int known() {
        int n = learned.get();
        return n > 0 ? n : expected;
    }

    /**
     * @param field the parameter name for the error
     * @param text the text to embed
     * @return the text
     * @throws InvalidInputException when it is null or blank
     */
    static String text(String field, @Nullable String text) {
        if (text == null) {
            throw new InvalidInputException(field, "is required");
        }
        if (text.isBlank()) {
            throw new InvalidInputException(field, "is blank; there is nothing to embed");
        }
        return text;
    }

    /**
     * @param texts the texts to embed
     * @return a copy of the list, every text checked before anything is sent
     */
    static List<String> texts(@Nullable List<String> texts) {
        if (texts == null) {
            throw new InvalidInputException("texts", "is required");
        }
        List<String> copy = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            copy.add(text("texts[" + i + "]", texts.get(i)));
        }
        return copy;
    }

    /**
     * @param node an element of the answer that must be a vector
     * @param what "METHOD url", for the error
     * @param field where the vector sits in the answer, for the error
     * @return the vector, every component a finite float, its size checked
     */
    float[] vector(@Nullable JsonNode node, String what, String field) {
        if (node == null || !node.isArray()) {
            throw HttpTransport.invalid(what, "'" + field + "' that is not an array of numbers");
        }
        if (node.isEmpty()) {
            throw HttpTransport.invalid(what, "'" + field + "' that is an empty vector");
        }
        float[] out = new float[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode c = node.get(i);
            if (!c.isNumber()) {
                throw HttpTransport.invalid(what, "'" + field + "[" + i + "]' = " + abbreviate(c.toString())
                        + ", not a number");
            }
            float v = c.floatValue();
            if (!Float.isFinite(v)) {
                throw HttpTransport.invalid(what, "'" + field + "[" + i + "]' = " + abbreviate(c.asText())
                        + ", not a finite float");
            }
            out[i] = v;
        }
        size(out.length, what);
        return out;
    }

    /**
     * Checks the size a server announced in a {@code dimensions} field against the vectors it sent.
     *
     * @param answer the answer
     * @param actual the size of its vectors
     * @param what "METHOD url", for the error
     */
    static void announced(JsonNode answer, int actual, String what) {
        JsonNode d = answer.get("dimensions");
        if (d == null || d.isNull()) {
            return;
        }
        if (!d.canConvertToExactIntegral() || !d.canConvertToInt()) {
            throw HttpTransport.invalid(what, "'dimensions' = " + abbreviate(d.toString()) + ", not a whole number");
        }
        if (d.asInt() != actual) {
            throw HttpTransport.invalid(what, "'dimensions' = " + d.asInt() + " but vectors of " + actual
                    + " dimensions");
        }
    }

    /**
     * @param n a size announced or seen
     * @param what "METHOD url", for the error
     */
    void size(int n, String what) {
        if (expected > 0 && n != expected) {
            throw HttpTransport.invalid(what, "vectors of " + n + " dimensions; " + expected + " were configured");
        }
        int before = learned.compareAndExchange(0, n);
        if (before != 0 && before != n) {
            throw HttpTransport.invalid(what, "vectors of " + n + " dimensions; earlier answers had " + before
                    + " (did the model change?)");
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 39) + "…" : s;
    }
}
