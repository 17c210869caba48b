package dev.agentmemory.embedding.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentmemory.api.CircuitBreaking;
import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.EmbeddingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The client of agent-memory's embedding service (served by {@code agent-memory serve-embeddings}
 * or any server speaking the same wire format):
 * <ul>
 *   <li>{@code POST {base}/embed} with {@code {"text": "..."}} answers
 *       {@code {"embedding": [...], "dimensions": n, "generation_time_ms": t}}</li>
 *   <li>{@code POST {base}/embed/batch} with {@code {"texts": [...]}} answers
 *       {@code {"embeddings": [[...], ...], "dimensions": n, "generation_time_ms": t}}</li>
 *   <li>{@code GET {base}/health} answers {@code {"status": "healthy", "model": "...", "dimensions": n}}</li>
 * </ul>
 *
 * <p>Connection failures, timeouts, 429 and 5xx are retried with exponential backoff and jitter;
 * a circuit breaker makes callers fail fast while the service is down; a bulkhead caps the
 * requests in flight. Every answer is checked: vectors of the announced (and configured) size,
 * finite numbers, one vector per text. Thread-safe; share one instance and close it when done.
 *
 * <pre>{@code
 * try (EmbeddingClient client = EmbeddingClient.builder("http://127.0.0.1:8088")
 *         .timeout(Duration.ofSeconds(5)).maxRetries(2).bulkhead(8).build()) {
 *     float[] v = client.generateEmbedding("sprint created with 5 tasks");
 * }
 * }</pre>
 */
public final class EmbeddingClient implements Embedder, CircuitBreaking, AutoCloseable {

    private final HttpTransport transport;
    private final VectorChecks checks;
    private volatile @Nullable String model;

    /**
     * A client with a 10 s timeout and 3 retries.
     *
     * @param baseUrl the service's base URL, such as {@code http://127.0.0.1:8088}
     * @throws dev.agentmemory.api.InvalidInputException when the URL is not an http(s) URL
     */
    public EmbeddingClient(String baseUrl) {
        this(builder(baseUrl));
    }

    /**
     * @param baseUrl the service's base URL
     * @param timeout the limit of one attempt
     * @param maxRetries retries after the first attempt; 0 means one attempt
     * @throws dev.agentmemory.api.InvalidInputException when a value is out of range
     */
    public EmbeddingClient(String baseUrl, Duration timeout, int maxRetries) {
        this(builder(baseUrl).timeout(timeout).maxRetries(maxRetries));
    }

    private EmbeddingClient(Builder builder) {
        HttpSettings settings = builder.settings();
        this.transport = new HttpTransport("embedding-service", builder.baseUrl, settings);
        this.checks = new VectorChecks(settings.expectedDimensions());
    }

    /**
     * @param baseUrl the service's base URL
     * @return a builder with the defaults: 10 s, 3 retries, bulkhead 4, batches of 64
     */
    public static Builder builder(String baseUrl) {
        return new Builder(baseUrl);
    }

    /**
     * @param text the text, not blank
     * @return its vector
     * @throws dev.agentmemory.api.InvalidInputException when the text is blank
     * @throws EmbeddingException when the service fails or answers with something invalid
     */
    public float[] generateEmbedding(String text) {
        VectorChecks.text("text", text);
        String what = "POST " + transport.shown("/embed");
        JsonNode answer = transport.post("/embed", Map.of("text", text));
        float[] vector = checks.vector(answer.get("embedding"), what, "embedding");
        VectorChecks.announced(answer, vector.length, what);
        return vector;
    }

    /**
     * Embeds the texts through {@code /embed/batch}, in requests of at most the configured batch
     * size.
     *
     * @param texts the texts, none blank
     * @return one vector per text, in order; an empty list for an empty list, without a request
     * @throws dev.agentmemory.api.InvalidInputException when a text is blank (nothing is sent)
     * @throws EmbeddingException when the service fails or answers with something invalid
     */
    public List<float[]> generateBatchEmbeddings(List<String> texts) {
        List<String> all = VectorChecks.texts(texts);
        int batchSize = transport.settings().batchSize();
        List<float[]> out = new ArrayList<>(all.size());
        for (int from = 0; from < all.size(); from += batchSize) {
            out.addAll(batch(all.subList(from, Math.min(all.size(), from + batchSize))));
        }
        return out;
    }

    private List<float[]> batch(List<String> texts) {
        String what = "POST " + transport.shown("/embed/batch");
        JsonNode answer = transport.post("/embed/batch", Map.of("texts", texts));
        JsonNode vectors = answer.get("embeddings");
        if (vectors == null || !vectors.isArray()) {
            throw HttpTransport.invalid(what, "no 'embeddings' array");
        }
        if (vectors.size() != texts.size()) {
            throw HttpTransport.invalid(what, vectors.size() + " vectors for " + texts.size() + " texts");
        }
        List<float[]> out = new ArrayList<>(texts.size());
        for (int i = 0; i < vectors.size(); i++) {
            out.add(checks.vector(vectors.get(i), what, "embeddings[" + i + "]"));
        }
        VectorChecks.announced(answer, out.get(0).length, what);
        return out;
    }

    /**
     * Asks {@code /health} once, without retries and past an open circuit breaker. A healthy
     * answer closes the breaker: the service answered just now, so callers (an explicit backfill)
     * need not wait out its open time.
     *
     * @return true when the service answers 200 with {@code "status": "healthy"}; false, never an
     *     exception, when it cannot be reached or answers anything else
     */
    @Override
    public boolean healthCheck() {
        JsonNode answer = transport.getOnce("/health");
        if (answer == null || !"healthy".equals(answer.path("status").asText(null))) {
            return false;
        }
        try {
            learnFromHealth(answer);
        } catch (EmbeddingException e) {
            return false;
        }
        transport.healthy();
        return true;
    }

    @Override
    public float[] embed(String text) {
        return generateEmbedding(text);
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        return generateBatchEmbeddings(texts);
    }

    /**
     * @return the configured size, or the one the service announced on {@code /health} or in its
     *     first answer; asks {@code /health} when none is known yet
     * @throws EmbeddingException when the service cannot tell
     */
    @Override
    public int dimensions() {
        int known = checks.known();
        if (known > 0) {
            return known;
        }
        learnFromHealth(transport.get("/health"));
        known = checks.known();
        if (known > 0) {
            return known;
        }
        // The service did not announce its size: one embedding tells it.
        return generateEmbedding("dimensions").length;
    }

    /**
     * @return the model the service announces on {@code /health}
     * @throws EmbeddingException when the service cannot be reached or names no model
     */
    @Override
    public String modelName() {
        String m = model;
        if (m != null) {
            return m;
        }
        learnFromHealth(transport.get("/health"));
        m = model;
        if (m == null) {
            throw HttpTransport.invalid("GET " + transport.shown("/health"), "no 'model' field");
        }
        return m;
    }

    private void learnFromHealth(JsonNode health) {
        String what = "GET " + transport.shown("/health");
        JsonNode m = health.get("model");
        if (m != null && m.isTextual() && !m.asText().isBlank()) {
            model = m.asText();
        }
        JsonNode d = health.get("dimensions");
        if (d != null && !d.isNull()) {
            if (!d.canConvertToExactIntegral() || !d.canConvertToInt() || d.asInt() <= 0) {
                throw HttpTransport.invalid(what, "'dimensions' = " + d + ", not a positive whole number");
            }
            checks.size(d.asInt(), what);
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
        return "EmbeddingClient{" + transport.shown("") + "}";
    }

    /** Builds an {@link EmbeddingClient}; every setter checks its value. */
    public static final class Builder extends HttpSettingsBuilder<Builder> {
        private final String baseUrl;

        private Builder(String baseUrl) {
            this.baseUrl = baseUrl;
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * @return the client
         * @throws dev.agentmemory.api.InvalidInputException when the base URL is not http(s)
         */
        public EmbeddingClient build() {
            return new EmbeddingClient(this);
        }
    }
}
