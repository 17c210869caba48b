package dev.agentmemory.embedding.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.api.ConfigurationException;
import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.spi.EmbedderConfig;
import dev.agentmemory.api.spi.EmbedderProvider;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class OnnxEmbedderProviderTest {

    private static EmbedderProvider onnx() {
        return ServiceLoader.load(EmbedderProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("onnx"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no EmbedderProvider named onnx"));
    }

    @Test
    void serviceLoaderFindsTheProviderByTheNameOnnx() {
        assertThat(onnx()).isInstanceOf(OnnxEmbedderProvider.class);
    }

    @Test
    void providerCreatesAWorkingOnnxEmbedder() {
        Embedder embedder = onnx().create(EmbedderConfig.ofDefaults());

        assertThat(embedder).isInstanceOf(OnnxEmbedder.class);
        assertThat(embedder.modelName()).isEqualTo(OnnxEmbedder.MODEL_NAME);
        assertThat(embedder.embed("sprint planning")).hasSize(embedder.dimensions());
    }

    @Test
    void theModelsOwnNameIsAcceptedInAnyCase() {
        Embedder embedder = onnx().create(EmbedderConfig.builder().model(OnnxEmbedder.MODEL_NAME.toUpperCase()).build());

        assertThat(embedder.modelName()).isEqualTo(OnnxEmbedder.MODEL_NAME);
    }

    @Test
    void anotherModelIsAConfigurationError() {
        EmbedderConfig config = EmbedderConfig.builder().model("mxbai-embed-large").build();

        assertThatThrownBy(() -> onnx().create(config))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("mxbai-embed-large")
                .hasMessageContaining(OnnxEmbedder.MODEL_NAME);
    }
}
