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
    void theModelSettingPicksMiniLm() {
        Embedder embedder = onnx().create(EmbedderConfig.builder().model("all-minilm-l6-v2-q").build());

        assertThat(embedder).isInstanceOfSatisfying(OnnxEmbedder.class,
                e -> assertThat(e.model()).isEqualTo(OnnxEmbedder.Model.ALL_MINILM_L6_V2_Q));
        assertThat(embedder.modelName()).isEqualTo("all-MiniLM-L6-v2-q");
        assertThat(embedder.embed("sprint planning")).hasSize(384)
                .containsExactly(new OnnxEmbedder(OnnxEmbedder.Model.ALL_MINILM_L6_V2_Q).embed("sprint planning"));
    }

    @Test
    void withoutAModelSettingOrWithABlankOneTheDefaultModelRuns() {
        assertThat(((OnnxEmbedder) onnx().create(EmbedderConfig.ofDefaults())).model())
                .isEqualTo(OnnxEmbedder.Model.BGE_SMALL_EN_V15_Q);
        assertThat(((OnnxEmbedder) onnx().create(EmbedderConfig.builder().model("  ").build())).model())
                .isEqualTo(OnnxEmbedder.Model.BGE_SMALL_EN_V15_Q);
    }

    @Test
    void aModelItCannotRunIsAConfigurationErrorNamingIt() {
        for (String name : new String[] {"mxbai-embed-large", "all-MiniLM-L6-v2", "bge-small-en-v1.5"}) {
            EmbedderConfig config = EmbedderConfig.builder().model(name).build();

            assertThatThrownBy(() -> onnx().create(config))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("'" + name + "'")
                    .hasMessageContaining(OnnxEmbedder.MODEL_NAME)
                    .hasMessageContaining("all-MiniLM-L6-v2-q");
        }
    }
}
