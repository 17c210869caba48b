package dev.agentmemory.embedding.onnx;

import dev.agentmemory.api.ConfigurationException;
import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.spi.EmbedderConfig;
import dev.agentmemory.api.spi.EmbedderProvider;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Offers {@link OnnxEmbedder} to {@link java.util.ServiceLoader} under the name {@value #NAME}.
 *
 * <p>The in-process model needs no URL, timeout or retries, so those settings are ignored. The
 * setting {@code model} picks the model by its {@linkplain OnnxEmbedder.Model#modelName() name}, in
 * any case: {@code bge-small-en-v1.5-q} (the default when none or a blank one is set) or
 * {@code all-MiniLM-L6-v2-q}.
 * Any other name fails at once: vectors of a model the embedder cannot run would not be comparable
 * with the ones already stored.
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
     * @return a new {@link OnnxEmbedder} of the configured model; the model loads on its first use
     * @throws ConfigurationException when a model it cannot run is asked for
     */
    @Override
    public Embedder create(EmbedderConfig config) {
        String name = config.model().filter(m -> !m.isBlank()).orElse(null);
        if (name == null) {
            return new OnnxEmbedder();
        }
        OnnxEmbedder.Model model = OnnxEmbedder.Model.fromName(name).orElseThrow(() -> new ConfigurationException(
                "embedder '" + NAME + "' has no model '" + name + "'; it runs " + Arrays.stream(OnnxEmbedder.Model.values())
                        .map(OnnxEmbedder.Model::modelName).collect(Collectors.joining(" or "))));
        return new OnnxEmbedder(model);
    }
}
