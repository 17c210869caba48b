package dev.agentmemory.embedding.ollama;

import dev.agentmemory.api.ConfigurationException;
import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.spi.EmbedderConfig;
import dev.agentmemory.api.spi.EmbedderProvider;

/**
 * The embedder named {@value #NAME}: an {@link EmbeddingClient} of the deployed embedding service.
 * Reads the URL (required), the timeout, the retries and the properties listed at
 * {@link EmbeddingClient.Builder#config(EmbedderConfig)} from the {@link EmbedderConfig}.
 */
public final class EmbeddingServiceProvider implements EmbedderProvider {

    /** The provider's name. */
    public static final String NAME = "service";
    /** The environment variable the bootstrap reads the service's URL from. */
    public static final String URL_VARIABLE = "AGENT_MEMORY_EMBEDDING_URL";
    /** The environment variable the bootstrap reads the model's name from (for Ollama). */
    public static final String MODEL_VARIABLE = "AGENT_MEMORY_EMBEDDING_MODEL";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Embedder create(EmbedderConfig config) {
        String url = config.url().orElseThrow(() -> new ConfigurationException(
                "embedder '" + NAME + "' needs the embedding service's URL (set " + URL_VARIABLE + ")"));
        try {
            return EmbeddingClient.builder(url).config(config).build();
        } catch (InvalidInputException e) {
            throw new ConfigurationException("embedder '" + NAME + "': " + e.getMessage(), e);
        }
    }
}
