package dev.agentmemory.embedding.ollama;

import static dev.agentmemory.embedding.ollama.LoopbackServer.Reply.json;
import static dev.agentmemory.embedding.ollama.LoopbackServer.Reply.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentmemory.api.CircuitBreaking;
import dev.agentmemory.api.EmbeddingException;
import dev.agentmemory.api.InvalidInputException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EmbeddingClientTest {

    private static final String VECTOR = "{\"embedding\": [0.1, 0.2, 0.3], \"dimensions\": 3, \"generation_time_ms\": 1.5}";
    private static final String HEALTH = "{\"status\": \"healthy\", \"model\": \"tiny-model\", \"dimensions\": 3}";

    private static EmbeddingClient.Builder client(String url) {
        return EmbeddingClient.builder(url).retryBackoff(Duration.ofMillis(5)).timeout(Duration.ofSeconds(5));
    }

    private static String batchOf(int n) {
        List<String> vectors = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            vectors.add("[" + i + ", 0.5, 0.25]");
        }
        return "{\"embeddings\": [" + String.join(",", vectors) + "], \"dimensions\": 3, \"generation_time_ms\": 2}";
    }

    @Test
    void serviceUnavailableTwiceThenSuccessSucceedsOnTheThirdAttempt() throws Exception {
        try (LoopbackServer server = new LoopbackServer((n, path, body) -> n <= 2 ? json(503, "{\"error\":\"warming up\"}") : ok(VECTOR));
             EmbeddingClient c = client(server.url()).build()) {
            float[] v = c.generateEmbedding("sprint created");
            assertThat(v).containsExactly(0.1f, 0.2f, 0.3f);
            assertThat(server.attempts()).isEqualTo(3);
            assertThat(server.bodies()).allSatisfy(b -> assertThat(b).isEqualTo("{\"text\":\"sprint created\"}"));
            assertThat(server.paths()).containsOnly("POST /embed");
        }
    }

    @Test
    void aServerSlowerThanTheTimeoutIsTriedMaxRetriesPlusOneTimesThenReportedAsTimeout() throws Exception {
        try (LoopbackServer server = LoopbackServer.always(ok(VECTOR).after(Duration.ofSeconds(3)));
             EmbeddingClient c = client(server.url()).timeout(Duration.ofMillis(300)).maxRetries(2).build()) {
            EmbeddingException e = catchThrowableOfType(() -> c.generateEmbedding("x"), EmbeddingException.class);
            assertThat(e.getMessage()).contains("timed out").contains(server.url() + "/embed").contains("3 attempts");
            assertThat(e.isTransient()).isTrue();
            assertThat(e.status()).isZero();
            assertThat(server.attempts()).isEqualTo(3);
        }
    }

    @Test
    void aMalformedBodyFailsWithoutRetry() throws Exception {
        try (LoopbackServer server = LoopbackServer.always(ok("{\"embedding\": [0.1, 0.2"));
             EmbeddingClient c = client(server.url()).build()) {
            EmbeddingException e = catchThrowableOfType(() -> c.generateEmbedding("x"), EmbeddingException.class);
            assertThat(e.getMessage()).contains("malformed JSON").contains("{\"embedding\": [0.1, 0.2");
            assertThat(e.isTransient()).isFalse();
            assertThat(server.attempts()).isEqualTo(1);
        }
    }

    @Test
    void aBodyWithoutTheEmbeddingFieldIsAnError() throws Exception {
        try (LoopbackServer server = LoopbackServer.always(ok("{\"vector\": [0.1]}"));
             EmbeddingClient c = client(server.url()).build()) {
            assertThatThrownBy(() -> c.generateEmbedding("x"))
                    .isInstanceOf(EmbeddingException.class).hasMessageContaining("'embedding'");
            assertThat(server.attempts()).isEqualTo(1);
        }
    }

    @Test
    void aVectorOfAnotherSizeThanAnnouncedIsRejected() throws Exception {
        try (LoopbackServer server = LoopbackServer.always(ok("{\"embedding\": [0.1, 0.2, 0.3], \"dimensions\": 4}"));
             EmbeddingClient c = client(server.url()).build()) {
            assertThatThrownBy(() -> c.generateEmbedding("x"))
                    .isInstanceOf(EmbeddingException.class)
                    .hasMessageContaining("'dimensions' = 4 but vectors of 3 dimensions");
        }
    }

    @Test
    void aVectorOfAnotherSizeThanConfiguredIsRejected() throws Exception {
        try (LoopbackServer server = LoopbackServer.always(ok(VECTOR));
             EmbeddingClient c = client(server.url()).expectedDimensions(384).build()) {
            EmbeddingException e = catchThrowableOfType(() -> c.generateEmbedding("x"), EmbeddingException.class);
            assertThat(e.getMessage()).contains("vectors of 3 dimensions; 384 were configured");
            assertThat(e.isTransient()).isFalse();
            assertThat(c.dimensions()).isEqualTo(384);
        }
    }

    @Test
    void aServerThatChangesItsVectorSizeIsCaught() throws Exception {
        try (LoopbackServer server = new LoopbackServer((n, p, b) -> n == 1 ? ok(VECTOR)
                : ok("{\"embedding\": [0.1, 0.2], \"dimensions\": 2}"));
             EmbeddingClient c = client(server.url()).build()) {
            c.generateEmbedding("first");
            assertThatThrownBy(() -> c.generateEmbedding("second"))
                    .isInstanceOf(EmbeddingException.class)
                    .hasMessageContaining("vectors of 2 dimensions; earlier answers had 3");
        }
    }

    @Test
    void anOverflowingNumberIsRejectedAsNotFinite() throws Exception {
        try (LoopbackServer server = LoopbackServer.always(ok("{\"embedding\": [0.1, 1e999, 0.3], \"dimensions\": 3}"));
             EmbeddingClient c = client(server.url()).build()) {
            EmbeddingException e = catchThrowableOfType(() -> c.generateEmbedding("x"), EmbeddingException.class);
            assertThat(e.getMessage()).contains("'embedding[1]'").contains("not a finite float");
            assertThat(server.attempts()).isEqualTo(1);
        }
    }

    @Test
    void aNumberBeyondFloatRangeIsRejectedAsNotFinite() throws Exception {
        try (LoopbackServer server = LoopbackServer.always(ok("{\"embedding\": [0.1, 0.2, 1e39]}"));
             EmbeddingClient c = client(server.url()).build()) {
            assertThatThrownBy(() -> c.generateEmbedding("x"))
                    .isInstanceOf(EmbeddingException.class).hasMessageContaining("'embedding[2]'");
        }
    }

    @Test
    void aStringInsideTheVectorIsRejected() throws Exception {
        try (LoopbackServer server = LoopbackServer.always(ok("{\"embedding\": [0.1, \"NaN\", 0.3]}"));
             EmbeddingClient c = client(server.url()).build()) {
            assertThatThrownBy(() -> c.generateEmbedding("x"))
                    .isInstanceOf(EmbeddingException.class).hasMessageContaining("'embedding[1]' = \"NaN\", not a number");
        }
    }

    @Test
    void aBatchWithFewerVectorsThanTextsIsRejected() throws Exception {
        try (LoopbackServer server = LoopbackServer.always(ok(batchOf(2)));
             EmbeddingClient c = client(server.url()).build()) {
            EmbeddingException e = catchThrowableOfType(() -> c.generateBatchEmbeddings(List.of("a", "b", "c")),
                    EmbeddingException.class);
            assertThat(e.getMessage()).contains("2 vectors for 3 texts").contains("/embed/batch");
            assertThat(e.isTransient()).isFalse();
        }
    }

    @Test
    void aBadRequestIsNotRetried() throws Exception {
        try (LoopbackServer server = LoopbackServer.always(json(400, "{\"error\": \"text is blank\"}"));
             EmbeddingClient c = client(server.url()).build()) {
            EmbeddingException e = catchThrowableOfType(() -> c.generateEmbedding("x"), EmbeddingException.class);
            assertThat(server.attempts()).isEqualTo(1);
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.isTransient()).isFalse();
            assertThat(e.getMessage()).isEqualTo("POST " + server.url() + "/embed answered 400: text is blank");
            assertThat(e.url()).isEqualTo(server.url() + "/embed");
            assertThat(c.circuitState()).isEqualTo(CircuitBreaking.CircuitState.CLOSED);
        }
    }

    @Test
    void tooManyRequestsIsRetried() throws Exception {
        try (LoopbackServer server = new LoopbackServer((n, p, b) -> n == 1 ? json(429, "slow down") : ok(VECTOR));
             EmbeddingClient c = client(server.url()).build()) {
            assertThat(c.generateEmbedding("x")).hasSize(3);
            assertThat(server.attempts()).isEqualTo(2);
        }
    }

    @Test
    void aResetConnectionIsRetriedAndThenReportedAsTransient() throws Exception {
        try (ResettingServer server = new ResettingServer();
             EmbeddingClient c = client(server.url()).maxRetries(2).build()) {
            EmbeddingException e = catchThrowableOfType(() -> c.generateEmbedding("x"), EmbeddingException.class);
            assertThat(e.isTransient()).isTrue();
            assertThat(e.status()).isZero();
            assertThat(e.getMessage()).contains("failed").contains("3 attempts");
            assertThat(server.connections()).isEqualTo(3);
        }
    }

    @Test
    void zeroRetriesMeansExactlyOneAttempt() throws Exception {
        try (LoopbackServer server = LoopbackServer.always(json(503, "down"));
             EmbeddingClient c = new EmbeddingClient(server.url(), Duration.ofSeconds(5), 0)) {
            EmbeddingException e = catchThrowableOfType(() -> c.generateEmbedding("x"), EmbeddingException.class);
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.isTransient()).isTrue();
            assertThat(server.attempts()).isEqualTo(1);
        }
    }

    @Test
    void theDefaultClientRetriesThreeTimes() throws Exception {
        try (LoopbackServer server = LoopbackServer.always(json(500, "boom"));
             EmbeddingClient c = new EmbeddingClient(server.url())) {
            assertThatThrownBy(() -> c.generateEmbedding("x")).isInstanceOf(EmbeddingException.class)
                    .hasMessageContaining("answered 500: boom (gave up after 4 attempts)");
            assertThat(server.attempts()).isEqualTo(4);
        }
    }

    @Test
    void anOpenCircuitBreakerFailsFastWithoutCallingTheService() throws Exception {
        try (LoopbackServer server = LoopbackServer.always(json(503, "overloaded"));
             EmbeddingClient c = client(server.url()).maxRetries(3).circuitBreakerWindow(4).build()) {
            assertThatThrownBy(() -> c.generateEmbedding("x")).isInstanceOf(EmbeddingException.class);
            assertThat(server.attempts()).isEqualTo(4);
            assertThat(c.circuitState()).isEqualTo(CircuitBreaking.CircuitState.OPEN);

            EmbeddingException e = catchThrowableOfType(() -> c.generateEmbedding("y"), EmbeddingException.class);
            assertThat(e.getMessage()).contains("circuit breaker is open");
            assertThat(e.isTransient()).isTrue();
            assertThat(server.attempts()).isEqualTo(4);
            // the health check still asks the service: it must tell the truth while the breaker is open
            assertThat(c.healthCheck()).isFalse();
            assertThat(server.attempts()).isEqualTo(5);
        }
    }

    @Test
    void aServiceThatIsDownFailsHealthCheckQuietlyAndOpensTheBreaker() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (EmbeddingClient c = client("http://127.0.0.1:" + port).maxRetries(1).circuitBreakerWindow(2).build()) {
            assertThat(c.healthCheck()).isFalse();
            EmbeddingException first = catchThrowableOfType(() -> c.generateEmbedding("x"), EmbeddingException.class);
            assertThat(first.isTransient()).isTrue();
            assertThat(first.getMessage()).contains("127.0.0.1:" + port + "/embed").contains("2 attempts");
            assertThat(c.circuitState()).isEqualTo(CircuitBreaking.CircuitState.OPEN);
            EmbeddingException second = catchThrowableOfType(() -> c.embed("y"), EmbeddingException.class);
            assertThat(second.getMessage()).contains("not sent: the circuit breaker is open");
        }
    }

    @Test
    void theBulkheadCapsTheRequestsInFlight() throws Exception {
        try (LoopbackServer server = LoopbackServer.always(ok(VECTOR).gated());
             EmbeddingClient c = client(server.url()).bulkhead(2).timeout(Duration.ofSeconds(20)).build()) {
            ExecutorService callers = Executors.newFixedThreadPool(6);
            try {
                List<Future<float[]>> results = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    String text = "text " + i;
                    results.add(callers.submit(() -> c.generateEmbedding(text)));
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (server.inFlight() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                // Give a leaky bulkhead the chance to let a third request through before counting.
                Thread.sleep(300);
                assertThat(server.inFlight()).isEqualTo(2);
                assertThat(server.maxInFlight()).isEqualTo(2);
                server.openGate();
                for (Future<float[]> f : results) {
                    assertThat(f.get(20, TimeUnit.SECONDS)).hasSize(3);
                }
                // Not the most in flight after the gate opens: the client frees its permit once it has
                // read an answer, a moment before the server counts that exchange as ended, so the
                // server may briefly see a third (seen once in a full build).
                assertThat(server.attempts()).isEqualTo(6);
            } finally {
                callers.shutdownNow();
            }
        }
    }

    @Test
    void aBlankTextIsRejectedBeforeAnyRequest() throws Exception {
        try (LoopbackServer server = LoopbackServer.always(ok(VECTOR));
             EmbeddingClient c = client(server.url()).build()) {
            InvalidInputException e = catchThrowableOfType(() -> c.generateEmbedding("  "), InvalidInputException.class);
            assertThat(e.field()).isEqualTo("text");
            InvalidInputException inBatch = catchThrowableOfType(
                    () -> c.generateBatchEmbeddings(List.of("fine", "")), InvalidInputException.class);
            assertThat(inBatch.field()).isEqualTo("texts[1]");
            assertThat(server.attempts()).isZero();
        }
    }

    @Test
    void aLongBatchIsSplitIntoRequestsOfTheBatchSizeInOrder() throws Exception {
        try (LoopbackServer server = new LoopbackServer((n, p, body) -> {
            try {
                int count = HttpTransport.JSON.readTree(body).get("texts").size();
                return ok(batchOf(count).replace("[0, ", "[" + (n * 10) + ", "));
            } catch (IOException e) {
                return json(400, e.getMessage());
            }
        }); EmbeddingClient c = client(server.url()).batchSize(2).build()) {
            List<float[]> out = c.generateBatchEmbeddings(List.of("a", "b", "c", "d", "e"));
            assertThat(out).hasSize(5);
            assertThat(server.attempts()).isEqualTo(3);
            List<Integer> sizes = new ArrayList<>();
            for (String b : server.bodies()) {
                JsonNode texts = HttpTransport.JSON.readTree(b).get("texts");
                sizes.add(texts.size());
            }
            assertThat(sizes).containsExactly(2, 2, 1);
            assertThat(out.get(0)[0]).isEqualTo(10f);
            assertThat(out.get(1)[0]).isEqualTo(1f);
            assertThat(out.get(2)[0]).isEqualTo(20f);
            assertThat(out.get(4)[0]).isEqualTo(30f);
            assertThat(c.generateBatchEmbeddings(List.of())).isEmpty();
            assertThat(server.attempts()).isEqualTo(3);
        }
    }

    @Test
    void healthCheckReadsModelAndDimensionsFromHealth() throws Exception {
        try (LoopbackServer server = LoopbackServer.always(ok(HEALTH));
             EmbeddingClient c = client(server.url()).build()) {
            assertThat(c.healthCheck()).isTrue();
            assertThat(c.modelName()).isEqualTo("tiny-model");
            assertThat(c.dimensions()).isEqualTo(3);
            assertThat(server.paths()).containsOnly("GET /health");
        }
    }

    @Test
    void dimensionsAndModelNameAskHealthWhenNothingIsKnownYet() throws Exception {
        try (LoopbackServer server = LoopbackServer.always(ok(HEALTH));
             EmbeddingClient c = client(server.url()).build()) {
            assertThat(c.dimensions()).isEqualTo(3);
            assertThat(c.modelName()).isEqualTo("tiny-model");
            assertThat(server.attempts()).isEqualTo(1);
        }
    }

    @Test
    void anUnhealthyStatusMakesHealthCheckFalse() throws Exception {
        try (LoopbackServer server = LoopbackServer.always(ok("{\"status\": \"loading\"}"));
             EmbeddingClient c = client(server.url()).build()) {
            assertThat(c.healthCheck()).isFalse();
        }
        try (LoopbackServer server = LoopbackServer.always(json(500, HEALTH));
             EmbeddingClient c = client(server.url()).build()) {
            assertThat(c.healthCheck()).isFalse();
            assertThat(server.attempts()).isEqualTo(1);
        }
    }

    @Test
    void errorsRedactTheUrlAndKeepTheBodyExcerptShort() throws Exception {
        String longBody = "x".repeat(1000);
        try (LoopbackServer server = LoopbackServer.always(json(404, longBody))) {
            String base = "http://agent:s3cret@127.0.0.1:" + server.port();
            try (EmbeddingClient c = client(base).build()) {
                EmbeddingException e = catchThrowableOfType(() -> c.generateEmbedding("x"), EmbeddingException.class);
                assertThat(e.getMessage()).doesNotContain("s3cret").contains("agent:****@127.0.0.1");
                assertThat(e.url()).doesNotContain("s3cret");
                String excerpt = e.getMessage().substring(e.getMessage().indexOf("answered 404: ") + "answered 404: ".length());
                assertThat(excerpt.length()).isLessThanOrEqualTo(HttpTransport.EXCERPT_LIMIT);
                assertThat(c.toString()).doesNotContain("s3cret");
            }
        }
    }

    @Test
    void aClosedClientRefusesCalls() throws Exception {
        try (LoopbackServer server = LoopbackServer.always(ok(VECTOR))) {
            EmbeddingClient c = client(server.url()).build();
            c.close();
            assertThatThrownBy(() -> c.generateEmbedding("x")).isInstanceOf(EmbeddingException.class)
                    .hasMessageContaining("closed");
            assertThat(c.healthCheck()).isFalse();
            assertThat(server.attempts()).isZero();
        }
    }

    @Test
    void embedAndEmbedAllGoThroughTheServiceEndpoints() throws Exception {
        try (LoopbackServer server = new LoopbackServer((n, path, body) -> path.equals("/embed") ? ok(VECTOR) : ok(batchOf(2)));
             EmbeddingClient c = client(server.url() + "/").build()) {
            assertThat(c.embed("one")).containsExactly(0.1f, 0.2f, 0.3f);
            List<float[]> two = c.embedAll(List.of("one", "two"));
            assertThat(two).hasSize(2);
            assertThat(Arrays.toString(two.get(1))).isEqualTo("[1.0, 0.5, 0.25]");
            assertThat(server.paths()).containsExactly("POST /embed", "POST /embed/batch");
            assertThat(server.bodies().get(1)).isEqualTo("{\"texts\":[\"one\",\"two\"]}");
        }
    }

    @Test
    void aBaseUrlThatIsNotHttpIsRejected() {
        assertThatThrownBy(() -> new EmbeddingClient("ftp://example"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("baseUrl");
        assertThatThrownBy(() -> EmbeddingClient.builder("http://127.0.0.1:1").bulkhead(0))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("bulkhead");
        assertThatThrownBy(() -> new EmbeddingClient("http://127.0.0.1:1", Duration.ofSeconds(1), -1))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("maxRetries");
    }
}
