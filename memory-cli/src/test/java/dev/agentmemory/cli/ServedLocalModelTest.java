package dev.agentmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.EmbeddingException;
import dev.agentmemory.api.spi.EmbedderConfig;
import dev.agentmemory.core.Providers;
import dev.agentmemory.embedding.ollama.EmbeddingClient;
import dev.agentmemory.embedding.ollama.OllamaEmbedder;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The real local model, served over loopback by {@link EmbeddingServer}, read back through both
 * HTTP clients: the vectors must be the in-process model's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServedLocalModelTest {

    private static final double TOLERANCE = 1e-5;
    private static final List<String> TEXTS = List.of(
            "Sprint 12 was overloaded: 14 tasks for 3 developers",
            "created a sprint with 5 tasks after the release",
            "the backlog holds 40 unestimated items",
            "velocity dropped after two developers left the team",
            "Ünïcödé and emoji 🚀 survive the wire");

    private Embedder model;
    private EmbeddingServer server;

    @BeforeAll
    void serve() {
        model = Providers.embedder("onnx").create(EmbedderConfig.ofDefaults());
        server = new EmbeddingServer(model, EmbeddingServer.DEFAULT_HOST, 0).start();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    static void assertSameVector(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("component %d", i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(TOLERANCE));
        }
    }

    @Test
    void theServiceClientGetsTheInProcessModelsVectors() {
        try (EmbeddingClient client = new EmbeddingClient(server.url())) {
            for (String text : TEXTS) {
                assertSameVector(client.generateEmbedding(text), model.embed(text));
            }
        }
    }

    @Test
    void theServiceClientsBatchGetsTheInProcessModelsBatchVectors() {
        try (EmbeddingClient client = EmbeddingClient.builder(server.url()).batchSize(2).build()) {
            List<float[]> served = client.generateBatchEmbeddings(TEXTS);
            List<float[]> local = model.embedAll(TEXTS);
            assertThat(served).hasSameSizeAs(local);
            for (int i = 0; i < local.size(); i++) {
                assertSameVector(served.get(i), local.get(i));
            }
        }
    }

    @Test
    void theServiceClientReadsHealthModelAndDimensions() {
        try (EmbeddingClient client = new EmbeddingClient(server.url())) {
            assertThat(client.healthCheck()).isTrue();
            assertThat(client.modelName()).isEqualTo(model.modelName());
            assertThat(client.dimensions()).isEqualTo(model.dimensions()).isEqualTo(384);
        }
    }

    @Test
    void ollamaEmbedderGetsTheInProcessModelsVectorsFromApiEmbed() {
        try (OllamaEmbedder ollama = new OllamaEmbedder(server.url(), model.modelName())) {
            assertThat(ollama.healthCheck()).isTrue();
            assertSameVector(ollama.embed(TEXTS.get(0)), model.embed(TEXTS.get(0)));
            List<float[]> served = ollama.embedAll(TEXTS);
            List<float[]> local = model.embedAll(TEXTS);
            for (int i = 0; i < local.size(); i++) {
                assertSameVector(served.get(i), local.get(i));
            }
            assertThat(ollama.dimensions()).isEqualTo(384);
        }
    }

    @Test
    void ollamaEmbedderAskingForAnotherModelGetsA404WithoutRetry() {
        try (OllamaEmbedder ollama = new OllamaEmbedder(server.url(), "nomic-embed-text")) {
            EmbeddingException e = catchThrowableOfType(() -> ollama.embed("x"), EmbeddingException.class);
            assertThat(e.status()).isEqualTo(404);
            assertThat(e.isTransient()).isFalse();
            assertThat(e.getMessage()).contains("model \"nomic-embed-text\" not found");
            assertThat(ollama.healthCheck()).isFalse();
        }
    }

    @Test
    void apiEmbedTakesOneStringAsInputLikeOllama() throws Exception {
        Http.Answer a = Http.post(server.url() + "/api/embed",
                "{\"model\": \"" + model.modelName() + ":latest\", \"input\": \"Why is the sky blue?\", \"keep_alive\": \"5m\"}");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().get("model").asText()).isEqualTo(model.modelName());
        assertThat(a.json().get("embeddings").size()).isEqualTo(1);
        assertThat(a.json().get("embeddings").get(0).size()).isEqualTo(384);
        assertThat(a.json().get("total_duration").asLong()).isPositive();
    }

    @Test
    void healthAnswersStatusModelAndDimensions() throws Exception {
        Http.Answer a = Http.get(server.url() + "/health");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().get("status").asText()).isEqualTo("healthy");
        assertThat(a.json().get("model").asText()).isEqualTo(model.modelName());
        assertThat(a.json().get("dimensions").asInt()).isEqualTo(384);
    }

    @Test
    void embedAnswersTheWireFormat() throws Exception {
        Http.Answer a = Http.post(server.url() + "/embed", "{\"text\": \"hello\"}");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.response().headers().firstValue("Content-Type")).contains("application/json");
        assertThat(a.json().get("embedding").size()).isEqualTo(384);
        assertThat(a.json().get("dimensions").asInt()).isEqualTo(384);
        assertThat(a.json().get("generation_time_ms").isNumber()).isTrue();
    }

    @Test
    void badRequestsGet400WithAJsonError() throws Exception {
        String embed = server.url() + "/embed";
        assertBadRequest(Http.post(embed, "{\"text\": "), "not valid JSON");
        assertBadRequest(Http.post(embed, ""), "empty");
        assertBadRequest(Http.post(embed, "[\"text\"]"), "must be a JSON object");
        assertBadRequest(Http.post(embed, "{}"), "text: is required");
        assertBadRequest(Http.post(embed, "{\"text\": \"   \"}"), "text: is blank");
        assertBadRequest(Http.post(embed, "{\"text\": 42}"), "text: must be a string");
        String batch = server.url() + "/embed/batch";
        assertBadRequest(Http.post(batch, "{\"texts\": \"one\"}"), "texts: must be a list of strings");
        assertBadRequest(Http.post(batch, "{\"texts\": []}"), "texts: is empty");
        assertBadRequest(Http.post(batch, "{\"texts\": [\"ok\", \"\"]}"), "texts[1]: is blank");
        assertBadRequest(Http.post(server.url() + "/api/embed", "{\"input\": [\"x\"]}"), "model is required");
    }

    private static void assertBadRequest(Http.Answer a, String fragment) {
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.error()).contains(fragment);
    }

    @Test
    void unknownPathsGet404AndWrongMethods405() throws Exception {
        Http.Answer unknown = Http.get(server.url() + "/embeddings");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.error()).contains("/embeddings");
        assertThat(Http.post(server.url() + "/embed/batch/more", "{}").status()).isEqualTo(404);

        Http.Answer getEmbed = Http.get(server.url() + "/embed");
        assertThat(getEmbed.status()).isEqualTo(405);
        assertThat(getEmbed.response().headers().firstValue("Allow")).contains("POST");
        assertThat(getEmbed.error()).contains("GET is not allowed on /embed");

        Http.Answer postHealth = Http.post(server.url() + "/health", "{}");
        assertThat(postHealth.status()).isEqualTo(405);
        assertThat(postHealth.response().headers().firstValue("Allow")).contains("GET");
        assertThat(Http.send("DELETE", server.url() + "/api/embed", null).status()).isEqualTo(405);
    }

    @Test
    void theServerBindsLoopbackOnAnEphemeralPort() {
        assertThat(server.port()).isPositive();
        assertThat(server.url()).isEqualTo("http://127.0.0.1:" + server.port());
    }
}
