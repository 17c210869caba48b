package dev.agentmemory.testkit;

import dev.agentmemory.api.ConfigurationException;
import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.spi.EmbedderConfig;
import dev.agentmemory.api.spi.EmbedderProvider;
import java.util.ServiceLoader;

/**
 * The provider {@value #NAME} of {@link ProjectedEmbedder} over the local model ("onnx"), for
 * tests that choose their embedder by name, as the command line does. The size is the configured
 * model, a number ({@code --embedding-model 192}); 192 when none is set. Not registered here: a test
 * module that wants it lists it in its own
 * {@code META-INF/services/dev.agentmemory.api.spi.EmbedderProvider}.
 */
public final class ProjectedEmbedderProvider implements EmbedderProvider {

    /** The provider's name. */
    public static final String NAME = "projected";
    /** The size when no model is configured. */
    public static final int DEFAULT_DIMENSIONS = 192;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Embedder create(EmbedderConfig config) {
        int dimensions = DEFAULT_DIMENSIONS;
        if (config.model().isPresent()) {
            try {
                dimensions = Integer.parseInt(config.model().get().trim());
            } catch (NumberFormatException e) {
                throw new InvalidInputException("model", "'" + config.model().get()
                        + "' is not a size; the projected embedder takes its size as its model");
            }
        }
        EmbedderProvider onnx = ServiceLoader.load(EmbedderProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("onnx"))
                .findFirst()
                .orElseThrow(() -> new ConfigurationException("the projected embedder needs the local model (onnx)"));
        return new ProjectedEmbedder(onnx.create(EmbedderConfig.ofDefaults()), dimensions);
    }
}
