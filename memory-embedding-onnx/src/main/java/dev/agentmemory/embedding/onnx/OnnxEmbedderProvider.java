package dev.agentmemory.embedding.onnx;

import dev.agentmemory.api.ConfigurationException;
import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.spi.EmbedderConfig;
import dev.agentmemory.api.spi.EmbedderProvider;

/**
 * Offers {@link OnnxEmbedder} to {@link java.util.ServiceLoader} under the name {@value #NAME}.
 *
 * <p>The in-process model needs no URL, timeout or retries, so those settings are ignored. A
 * configured model name must be {@value OnnxEmbedder#MODEL_NAME} (in any case): vectors of another
 * model would not be comparable with the ones already stored, so a mismatch fails at once.
 */
public final class OnnxEmbedderProvider implements EmbedderProvider {

    /** The name users configure. */
    public static final String NAME = "onnx";

    /** Called by {@link java.util.ServiceLoader}. */
    public OnnxEmbedderProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * @param config the configuration; only its model name is read
     * @return a new {@link OnnxEmbedder}; the model loads on its first use
     * @throws ConfigurationException when another model is asked for
     */
    @Override
    public Embedder create(EmbedderConfig config) {
        config.model().ifPresent(model -> {
            if (!model.trim().equalsIgnoreCase(OnnxEmbedder.MODEL_NAME)) {
                throw new ConfigurationException("embedder '" + NAME + "' runs only the model "
                        + OnnxEmbedder.MODEL_NAME + ", not '" + model + "'");
            }
        });
        return new OnnxEmbedder();
    }
}
