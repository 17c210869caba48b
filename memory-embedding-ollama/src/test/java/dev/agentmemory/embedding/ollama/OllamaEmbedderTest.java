package dev.agentmemory.embedding.ollama;

import static dev.agentmemory.embedding.ollama.LoopbackServer.Reply.json;
import static dev.agentmemory.embedding.ollama.LoopbackServer.Reply.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentmemory.api.EmbeddingException;
import dev.agentmemory.api.InvalidInputException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OllamaEmbedderTest {

    /** Answers like Ollama: one vector per input, the first component the input's position. */
    private static LoopbackServer ollama() throws IOException {
        return new LoopbackServer((n, path, body) -> {
            if (!path.equals("/api/embed")) {
                return json(404, "404 page not found");
            }
            try {
                JsonNode request = HttpTransport.JSON.readTree(body);
                List<String> vectors = new ArrayList<>();
                for (int i = 0; i < request.get("input").size(); i++) {
                    vectors.add("[" + i + ", 0.5, -0.25, 0.125]");
                }
                return ok("{\"model\": \"" + request.get("model").asText() + "\", \"embeddings\": ["
                        + String.join(",", vectors) + "], \"total_duration\": 14143917, \"load_duration\": 1019500,"
                        + " \"prompt_eval_count\": 8}");
            } catch (IOException e) {
                return json(400, "{\"error\": \"invalid JSON\"}");
            }
        });
    }

    private static OllamaEmbedder.Builder embedder(String url) {
        return OllamaEmbedder.builder(url, "all-minilm").retryBackoff(Duration.ofMillis(5));
    }

    @Test
    void sendsTheModelAndTheInputListAndReadsTheEmbeddings() throws Exception {
        try (LoopbackServer server = ollama(); OllamaEmbedder e = embedder(server.url()).build()) {
            List<float[]> out = e.embedAll(List.of("Why is the sky blue?", "Why is the grass green?"));
            assertThat(out).hasSize(2);
            assertThat(out.get(0)).containsExactly(0f, 0.5f, -0.25f, 0.125f);
            assertThat(out.get(1)[0]).isEqualTo(1f);

            JsonNode sent = HttpTransport.JSON.readTree(server.bodies().get(0));
            assertThat(sent.get("model").asText()).isEqualTo("all-minilm");
            assertThat(sent.get("input").isArray()).isTrue();
            assertThat(sent.get("input").get(0).asText()).isEqualTo("Why is the sky blue?");
            assertThat(sent.get("input").get(1).asText()).isEqualTo("Why is the grass green?");
            // Ollama's defaults hold unless configured: nothing else is sent
            assertThat(sent.size()).isEqualTo(2);
            assertThat(server.paths()).containsOnly("POST /api/embed");
            assertThat(e.dimensions()).isEqualTo(4);
            assertThat(e.modelName()).isEqualTo("all-minilm");
        }
    }

    @Test
    void sendsTruncateKeepAliveAndOptionsWhenConfigured() throws Exception {
        try (LoopbackServer server = ollama();
             OllamaEmbedder e = embedder(server.url()).truncate(false).keepAlive("10m").option("num_ctx", 512).build()) {
            assertThat(e.embed("one text")).hasSize(4);
            JsonNode sent = HttpTransport.JSON.readTree(server.bodies().get(0));
            assertThat(sent.get("input").size()).isEqualTo(1);
            assertThat(sent.get("truncate").asBoolean(true)).isFalse();
            assertThat(sent.get("keep_alive").asText()).isEqualTo("10m");
            assertThat(sent.get("options").get("num_ctx").asInt()).isEqualTo(512);
        }
    }

    @Test
    void ollamasErrorFieldBecomesTheExcerptAndAMissingModelIsNotRetried() throws Exception {
        try (LoopbackServer server = LoopbackServer.always(
                json(404, "{\"error\": \"model \\\"all-minilm\\\" not found, try pulling it first\"}"));
             OllamaEmbedder e = embedder(server.url()).build()) {
            EmbeddingException ex = catchThrowableOfType(() -> e.embed("x"), EmbeddingException.class);
            assertThat(ex.getMessage()).isEqualTo("POST " + server.url()
                    + "/api/embed answered 404: model \"all-minilm\" not found, try pulling it first");
            assertThat(ex.isTransient()).isFalse();
            assertThat(server.attempts()).isEqualTo(1);
        }
    }

    @Test
    void aServerErrorIsRetriedWithTheSameResilienceAsTheServiceClient() throws Exception {
        try (LoopbackServer server = new LoopbackServer((n, path, body) -> n <= 2
                     ? json(500, "{\"error\": \"llama runner process has terminated\"}")
                     : ok("{\"embeddings\": [[0.1, 0.2, 0.3, 0.4]]}"));
             OllamaEmbedder e = embedder(server.url()).build()) {
            assertThat(e.embed("x")).containsExactly(0.1f, 0.2f, 0.3f, 0.4f);
            assertThat(server.attempts()).isEqualTo(3);
        }
    }

    @Test
    void fewerEmbeddingsThanInputsIsAnError() throws Exception {
        try (LoopbackServer server = LoopbackServer.always(ok("{\"embeddings\": [[0.1, 0.2]]}"));
             OllamaEmbedder e = embedder(server.url()).build()) {
            assertThatThrownBy(() -> e.embedAll(List.of("a", "b")))
                    .isInstanceOf(EmbeddingException.class).hasMessageContaining("1 vectors for 2 texts");
        }
    }

    @Test
    void vectorsOfDifferentSizesInOneAnswerAreAnError() throws Exception {
        try (LoopbackServer server = LoopbackServer.always(ok("{\"embeddings\": [[0.1, 0.2], [0.1, 0.2, 0.3]]}"));
             OllamaEmbedder e = embedder(server.url()).build()) {
            assertThatThrownBy(() -> e.embedAll(List.of("a", "b")))
                    .isInstanceOf(EmbeddingException.class).hasMessageContaining("earlier answers had 2");
        }
    }

    @Test
    void longInputListsAreSplitIntoBatches() throws Exception {
        try (LoopbackServer server = ollama(); OllamaEmbedder e = embedder(server.url()).batchSize(3).build()) {
            List<float[]> out = e.embedAll(List.of("a", "b", "c", "d"));
            assertThat(out).hasSize(4);
            assertThat(out.get(3)[0]).isEqualTo(0f);
            assertThat(server.attempts()).isEqualTo(2);
        }
    }

    @Test
    void healthCheckEmbedsAProbeAndIsFalseWhenTheModelIsMissing() throws Exception {
        try (LoopbackServer server = ollama(); OllamaEmbedder e = embedder(server.url()).build()) {
            assertThat(e.healthCheck()).isTrue();
        }
        try (LoopbackServer server = LoopbackServer.always(json(404, "{\"error\": \"model not found\"}"));
             OllamaEmbedder e = embedder(server.url()).build()) {
            assertThat(e.healthCheck()).isFalse();
            assertThat(server.attempts()).isEqualTo(1);
        }
        try (OllamaEmbedder e = embedder("http://127.0.0.1:1").build()) {
            assertThat(e.healthCheck()).isFalse();
        }
    }

    @Test
    void aModelIsRequired() {
        assertThatThrownBy(() -> new OllamaEmbedder("http://127.0.0.1:11434", " "))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("model");
    }

    @Test
    void aBlankInputIsRejectedBeforeAnyRequest() throws Exception {
        try (LoopbackServer server = ollama(); OllamaEmbedder e = embedder(server.url()).build()) {
            assertThatThrownBy(() -> e.embed("")).isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> e.embedAll(List.of("a", " "))).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("texts[1]");
            assertThat(server.attempts()).isZero();
        }
    }
}
