package dev.agentmemory.embedding.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.api.ConfigurationException;
import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.spi.EmbedderConfig;
import dev.agentmemory.api.spi.EmbedderProvider;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EmbedderProvidersTest {

    private static Map<String, EmbedderProvider> providers() {
        return ServiceLoader.load(EmbedderProvider.class).stream().map(ServiceLoader.Provider::get)
                .collect(Collectors.toMap(EmbedderProvider::name, p -> p));
    }

    @Test
    void bothProvidersAreFoundByName() {
        assertThat(providers()).containsKeys("service", "ollama");
    }

    @Test
    void theServiceProviderBuildsAClientThatTalksToTheConfiguredUrl() throws Exception {
        try (LoopbackServer server = LoopbackServer.always(LoopbackServer.Reply.json(503, "down"))) {
            EmbedderConfig config = EmbedderConfig.builder().url(server.url()).maxRetries(1)
                    .timeout(Duration.ofSeconds(2)).property("bulkhead", "2").property("batch-size", "8")
                    .property("retry-backoff", "5ms").build();
            Embedder embedder = providers().get("service").create(config);
            try {
                assertThat(embedder).isInstanceOf(EmbeddingClient.class);
                assertThatThrownBy(() -> embedder.embed("x")).hasMessageContaining("2 attempts");
                assertThat(server.attempts()).isEqualTo(2);
            } finally {
                ((AutoCloseable) embedder).close();
            }
        }
    }

    @Test
    void aMissingUrlIsAConfigurationError() {
        assertThatThrownBy(() -> providers().get("service").create(EmbedderConfig.ofDefaults()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("AGENT_MEMORY_EMBEDDING_URL");
        assertThatThrownBy(() -> providers().get("ollama").create(EmbedderConfig.ofDefaults()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("URL");
    }

    @Test
    void ollamaNeedsAModel() {
        EmbedderConfig config = EmbedderConfig.builder().url("http://127.0.0.1:11434").build();
        assertThatThrownBy(() -> providers().get("ollama").create(config))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("AGENT_MEMORY_EMBEDDING_MODEL");
    }

    @Test
    void ollamaTakesItsModelAndOptionsFromTheConfig() throws Exception {
        EmbedderConfig config = EmbedderConfig.builder().url("http://127.0.0.1:11434").model("nomic-embed-text")
                .property("truncate", "false").property("keep-alive", "5m").property("dimensions", "768").build();
        Embedder e = providers().get("ollama").create(config);
        try {
            assertThat(e.modelName()).isEqualTo("nomic-embed-text");
            assertThat(e.dimensions()).isEqualTo(768);
        } finally {
            ((AutoCloseable) e).close();
        }
    }

    @Test
    void aBadPropertyIsAConfigurationErrorThatNamesIt() {
        EmbedderConfig config = EmbedderConfig.builder().url("http://127.0.0.1:8088").property("bulkhead", "0").build();
        assertThatThrownBy(() -> providers().get("service").create(config))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("bulkhead");
        EmbedderConfig notANumber = EmbedderConfig.builder().url("http://127.0.0.1:8088")
                .property("batch-size", "many").build();
        assertThatThrownBy(() -> providers().get("service").create(notANumber))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("batch-size");
        EmbedderConfig badDuration = EmbedderConfig.builder().url("http://127.0.0.1:8088")
                .property("circuit-breaker-open-for", "soon").build();
        assertThatThrownBy(() -> providers().get("service").create(badDuration))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("circuit-breaker-open-for");
    }
}
