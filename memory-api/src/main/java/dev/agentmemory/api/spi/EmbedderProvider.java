package dev.agentmemory.api.spi;

import dev.agentmemory.api.Embedder;

/**
 * An embedder, found with {@link java.util.ServiceLoader}. Register an implementation in
 * {@code META-INF/services/dev.agentmemory.api.spi.EmbedderProvider}.
 */
public interface EmbedderProvider {

    /** @return the name users configure: "onnx", "service", "ollama" */
    String name();

    /**
     * @param config the configuration
     * @return a ready embedder; the caller closes it when it is {@link AutoCloseable}
     * @throws dev.agentmemory.api.ConfigurationException when the configuration does not fit
     */
    Embedder create(EmbedderConfig config);
}
