package dev.agentmemory.spring.boot;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code agent-memory.*} properties the auto-configured {@code AgentMemorySystem} is built
 * from. Each is checked by the library's own builders when the memory is built: a bad value stops
 * the application with a {@code MemoryException} that names it.
 */
@ConfigurationProperties(prefix = AgentMemoryProperties.PREFIX)
public class AgentMemoryProperties {

    /** The prefix of every property. */
    public static final String PREFIX = "agent-memory";

    /**
     * The store backend, by its provider's name: "inmemory" (kept in the JVM, gone with it) or
     * "postgres" (PostgreSQL with pgvector, on the application's DataSource).
     */
    private String store = "inmemory";

    /**
     * The embedder, by its provider's name: "onnx" (the local model, in process), "service" (the
     * embedding service at embedding-url) or "ollama" (an Ollama server at embedding-url).
     */
    private String embedder = "onnx";

    /** The base URL of the embedding service or Ollama server. */
    private @Nullable String embeddingUrl;

    /** The model the embedding service or Ollama server should use, or the local model's name. */
    private @Nullable String embeddingModel;

    /** The vector size; by default the embedder's. */
    private @Nullable Integer dimensions;

    /** Whether to create or upgrade the store's schema at start-up. */
    private boolean migrate = true;

    /** The least similarity (1 - cosine distance, so at most 1) of a recalled situation. */
    private double minSimilarity = 0.7;

    /** How often to embed, in the background, the episodes stored while the embedder was down; none by default. */
    private @Nullable Duration backfillInterval;

    /** How long the health check waits for the store before it reports the memory down. */
    private Duration healthTimeout = Duration.ofSeconds(5);

    /**
     * The backend's own settings, such as pool.size, pgbouncer, search.exact-scan-max,
     * retry.deadline or read.jdbc-url (hot standbys for reads; user and password in the URL, since
     * the application's DataSource holds the primary's) and read.max-lag for "postgres"; a key the
     * backend does not know stops the application.
     */
    private Map<String, String> storeProperties = new LinkedHashMap<>();

    public String getStore() {
        return store;
    }

    public void setStore(String store) {
        this.store = store;
    }

    public String getEmbedder() {
        return embedder;
    }

    public void setEmbedder(String embedder) {
        this.embedder = embedder;
    }

    public @Nullable String getEmbeddingUrl() {
        return embeddingUrl;
    }

    public void setEmbeddingUrl(@Nullable String embeddingUrl) {
        this.embeddingUrl = embeddingUrl;
    }

    public @Nullable String getEmbeddingModel() {
        return embeddingModel;
    }

    public void setEmbeddingModel(@Nullable String embeddingModel) {
        this.embeddingModel = embeddingModel;
    }

    public @Nullable Integer getDimensions() {
        return dimensions;
    }

    public void setDimensions(@Nullable Integer dimensions) {
        this.dimensions = dimensions;
    }

    public boolean isMigrate() {
        return migrate;
    }

    public void setMigrate(boolean migrate) {
        this.migrate = migrate;
    }

    public double getMinSimilarity() {
        return minSimilarity;
    }

    public void setMinSimilarity(double minSimilarity) {
        this.minSimilarity = minSimilarity;
    }

    public @Nullable Duration getBackfillInterval() {
        return backfillInterval;
    }

    public void setBackfillInterval(@Nullable Duration backfillInterval) {
        this.backfillInterval = backfillInterval;
    }

    public Duration getHealthTimeout() {
        return healthTimeout;
    }

    public void setHealthTimeout(Duration healthTimeout) {
        this.healthTimeout = healthTimeout;
    }

    public Map<String, String> getStoreProperties() {
        return storeProperties;
    }

    public void setStoreProperties(Map<String, String> storeProperties) {
        this.storeProperties = storeProperties;
    }
}
