package dev.agentmemory.embedding.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentmemory.api.CircuitBreaking;
import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.EmbeddingException;
import dev.agentmemory.api.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An embedder backed by an Ollama server's {@code POST {base}/api/embed}: the request is
 * {@code {"model": "...", "input": ["...", ...]}} with the optional {@code truncate},
 * {@code keep_alive} and {@code options}, the answer {@code {"embeddings": [[...], ...]}}, and an
 * error is a non-2xx status with {@code {"error": "..."}}.
 *
 * <p>The same resilience as {@link EmbeddingClient}: retries of connection failures, timeouts, 429
 * and 5xx with exponential backoff and jitter, a circuit breaker and a bulkhead. Thread-safe.
 *
 * <pre>{@code
 * try (OllamaEmbedder ollama = OllamaEmbedder.builder("http://127.0.0.1:11434", "all-minilm")
 *         .keepAlive("10m").build()) {
 *     float[] v = ollama.embed("sprint created with 5 tasks");
 * }
 * }</pre>
 */
public final class OllamaEmbedder implements Embedder, CircuitBreaking, AutoCloseable {

    /** Ollama's default address. */
    public static final String DEFAULT_BASE_URL = "http://127.0.0.1:11434";

    private static final String PATH = "/api/embed";

    private final HttpTransport transport;
    private final VectorChecks checks;
    private final String model;
    private final @Nullable Boolean truncate;
    private final @Nullable String keepAlive;
    private final Map<String, Object> options;

    /**
     * An embedder with a 10 s timeout and 3 retries.
     *
     * @param baseUrl the Ollama server, such as {@value #DEFAULT_BASE_URL}
     * @param model the embedding model's name, such as {@code all-minilm}
     */
    public OllamaEmbedder(String baseUrl, String model) {
        this(builder(baseUrl, model));
    }

    private OllamaEmbedder(Builder b) {
        HttpSettings settings = b.settings();
        this.transport = new HttpTransport("ollama", b.baseUrl, settings);
        this.checks = new VectorChecks(settings.expectedDimensions());
        this.model = b.model;
        this.truncate = b.truncate;
        this.keepAlive = b.keepAlive;
        this.options = Collections.unmodifiableMap(new LinkedHashMap<>(b.options));
    }

    /**
     * @param baseUrl the Ollama server
     * @param model the embedding model's name
     * @return a builder with the defaults: 10 s, 3 retries, bulkhead 4, batches of 64, Ollama's
     *     own defaults for truncate and keep_alive
     */
    public static Builder builder(String baseUrl, String model) {
        return new Builder(baseUrl, model);
    }

    @Override
    public float[] embed(String text) {
        VectorChecks.text("text", text);
        return request(List.of(text)).get(0);
    }

    /**
     * @param texts the texts, none blank
     * @return one vector per text, in order; requests hold at most the configured batch size
     */
    @Override
    public List<float[]> embedAll(List<String> texts) {
        List<String> all = VectorChecks.texts(texts);
        int batchSize = transport.settings().batchSize();
        List<float[]> out = new ArrayList<>(all.size());
        for (int from = 0; from < all.size(); from += batchSize) {
            out.addAll(request(all.subList(from, Math.min(all.size(), from + batchSize))));
        }
        return out;
    }

    private List<float[]> request(List<String> input) {
        String what = "POST " + transport.shown(PATH);
        return read(transport.post(PATH, body(input)), input.size(), what);
    }

    private Map<String, Object> body(List<String> input) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model);
        body.put("input", input);
        if (truncate != null) {
            body.put("truncate", truncate);
        }
        if (keepAlive != null) {
            body.put("keep_alive", keepAlive);
        }
        if (!options.isEmpty()) {
            body.put("options", options);
        }
        return body;
    }

    private List<float[]> read(JsonNode answer, int expected, String what) {
        JsonNode vectors = answer.get("embeddings");
        if (vectors == null || !vectors.isArray()) {
            throw HttpTransport.invalid(what, "no 'embeddings' array");
        }
        if (vectors.size() != expected) {
            throw HttpTransport.invalid(what, vectors.size() + " vectors for " + expected + " texts");
        }
        List<float[]> out = new ArrayList<>(expected);
        for (int i = 0; i < vectors.size(); i++) {
            out.add(checks.vector(vectors.get(i), what, "embeddings[" + i + "]"));
        }
        return out;
    }

    /** @return the configured model name */
    @Override
    public String modelName() {
        return model;
    }

    /**
     * @return the configured size, else the size of the vectors answered so far, else the size of
     *     one embedding asked for now
     * @throws EmbeddingException when the server cannot tell
     */
    @Override
    public int dimensions() {
        int known = checks.known();
        return known > 0 ? known : embed("dimensions").length;
    }

    /**
     * Embeds a short probe once, without retries and past an open circuit breaker: this proves
     * that the server is up and that it has the model.
     *
     * @return true when the server answered with one valid vector; never throws
     */
    @Override
    public boolean healthCheck() {
        JsonNode answer = transport.postOnce(PATH, body(List.of("health check")));
        if (answer == null) {
            return false;
        }
        try {
            read(answer, 1, "POST " + transport.shown(PATH));
            transport.healthy();
            return true;
        } catch (EmbeddingException e) {
            return false;
        }
    }

    /** @return the state of the circuit breaker around the service's calls */
    @Override
    public CircuitState circuitState() {
        return transport.circuit();
    }

    /** Closes the connection pool; later calls fail with an {@link EmbeddingException}. */
    @Override
    public void close() {
        transport.close();
    }

    @Override
    public String toString() {
        return "OllamaEmbedder{" + transport.shown("") + ", model=" + model + "}";
    }

    /** Builds an {@link OllamaEmbedder}; every setter checks its value. */
    public static final class Builder extends HttpSettingsBuilder<Builder> {
        private final String baseUrl;
        private final String model;
        private @Nullable Boolean truncate;
        private @Nullable String keepAlive;
        private final Map<String, Object> options = new LinkedHashMap<>();

        private Builder(String baseUrl, String model) {
            if (model == null || model.isBlank()) {
                throw new InvalidInputException("model", "is required: the name of an Ollama embedding model");
            }
            this.baseUrl = baseUrl;
            this.model = model.trim();
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * @param value Ollama's {@code truncate}: true cuts inputs to the context length, false
         *     makes an over-long input an error; unset leaves Ollama's default (true)
         * @return this builder
         */
        public Builder truncate(boolean value) {
            this.truncate = value;
            return this;
        }

        /**
         * @param value Ollama's {@code keep_alive}: how long the model stays loaded after a
         *     request, such as {@code "5m"}, {@code "1h"} or {@code "-1"} (for ever); unset leaves
         *     Ollama's default (5m)
         * @return this builder
         */
        public Builder keepAlive(String value) {
            if (value == null || value.isBlank()) {
                throw new InvalidInputException("keepAlive", "is blank");
            }
            this.keepAlive = value.trim();
            return this;
        }

        /**
         * @param key a Modelfile parameter, such as {@code num_ctx}
         * @param value its value: a string, number or boolean
         * @return this builder
         */
        public Builder option(String key, Object value) {
            if (key == null || key.isBlank()) {
                throw new InvalidInputException("options", "a key is blank");
            }
            if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
                throw new InvalidInputException("options." + key, "must be a string, number or boolean");
            }
            options.put(key, value);
            return this;
        }

        /** @return the embedder */
        public OllamaEmbedder build() {
            return new OllamaEmbedder(this);
        }
    }
}
