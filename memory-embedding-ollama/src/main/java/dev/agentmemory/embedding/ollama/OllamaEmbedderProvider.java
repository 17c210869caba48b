package dev.agentmemory.embedding.ollama;

import dev.agentmemory.api.ConfigurationException;
import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.spi.EmbedderConfig;
import dev.agentmemory.api.spi.EmbedderProvider;

/**
 * The embedder named {@value #NAME}: an {@link OllamaEmbedder}. Reads the URL and the model (both
 * required), the timeout, the retries, the properties listed at
 * {@link OllamaEmbedder.Builder#config(EmbedderConfig)}, and Ollama's {@code truncate}
 * ({@code true}/{@code false}) and {@code keep-alive} from the {@link EmbedderConfig}.
 */
public final class OllamaEmbedderProvider implements EmbedderProvider {

    /** The provider's name. */
    public static final String NAME = "ollama";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Embedder create(EmbedderConfig config) {
        String url = config.url().orElseThrow(() -> new ConfigurationException(
                "embedder '" + NAME + "' needs the Ollama server's URL (set "
                        + EmbeddingServiceProvider.URL_VARIABLE + ", e.g. " + OllamaEmbedder.DEFAULT_BASE_URL + ")"));
        String model = config.model().filter(m -> !m.isBlank()).orElseThrow(() -> new ConfigurationException(
                "embedder '" + NAME + "' needs the model's name (set " + EmbeddingServiceProvider.MODEL_VARIABLE + ")"));
        try {
            OllamaEmbedder.Builder b = OllamaEmbedder.builder(url, model).config(config);
            String truncate = config.properties().get("truncate");
            if (truncate != null) {
                b.truncate(parseBoolean(truncate));
            }
            String keepAlive = config.properties().get("keep-alive");
            if (keepAlive != null) {
                b.keepAlive(keepAlive);
            }
            return b.build();
        } catch (InvalidInputException e) {
            throw new ConfigurationException("embedder '" + NAME + "': " + e.getMessage(), e);
        }
    }

    private static boolean parseBoolean(String text) {
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidInputException("truncate", "'" + text + "' is neither true nor false");
        };
    }
}
