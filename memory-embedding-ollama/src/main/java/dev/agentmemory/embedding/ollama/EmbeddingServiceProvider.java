package dev.agentmemory.embedding.ollama;

import dev.agentmemory.api.ConfigurationException;
import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.spi.EmbedderConfig;
import dev.agentmemory.api.spi.EmbedderProvider;
import java.util.Map;

/**
 * The embedder named {@value #NAME}: an {@link EmbeddingClient} of the deployed embedding service.
 * Reads the URL (required), the timeout, the retries and the properties listed at
 * {@link EmbeddingClient.Builder#config(EmbedderConfig)} from the {@link EmbedderConfig}.
 */
public final class EmbeddingServiceProvider implements EmbedderProvider {

    /** The provider's name. */
    public static final String NAME = "service";
    /** The environment variable that holds the service's URL. */
    public static final String URL_VARIABLE = "AGENT_MEMORY_EMBEDDING_URL";
    /** The environment variable that holds the model's name (for Ollama). */
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

    /**
     * Maps {@value #URL_VARIABLE} and {@value #MODEL_VARIABLE} into a configuration, for a bootstrap
     * that reads the environment.
     *
     * @param environment the environment, such as {@link System#getenv()}
     * @return a configuration with the URL and model set when the variables are set and not blank
     */
    public static EmbedderConfig configFromEnvironment(Map<String, String> environment) {
        EmbedderConfig.Builder b = EmbedderConfig.builder();
        String url = environment.get(URL_VARIABLE);
        if (url != null && !url.isBlank()) {
            b.url(url.trim());
        }
        String model = environment.get(MODEL_VARIABLE);
        if (model != null && !model.isBlank()) {
            b.model(model.trim());
        }
        return b.build();
    }
}
