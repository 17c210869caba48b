package dev.agentmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.spi.EmbedderConfig;
import dev.agentmemory.core.Providers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One client cannot take {@code serve-embeddings} down: the body, the texts per request and the
 * requests embedding at once are bounded, each refusal in clear words; a long text costs what its
 * beginning costs. The real local model throughout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddingServerLimitsTest {

    private Embedder model;

    @BeforeAll
    void load() {
        model = Providers.embedder("onnx").create(EmbedderConfig.ofDefaults());
        model.embed("warm up");
    }

    private static String json(Object value) {
        return Json.write(value);
    }

    private static String page(int chars) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; b.length() < chars; i++) {
            b.append("Sprint ").append(i).append(" was planned with the usual number of tasks. ");
        }
        return b.substring(0, chars);
    }

    @Test
    void aBodyOverTheLimitIs413InWords() throws Exception {
        try (EmbeddingServer server = new EmbeddingServer(model, "127.0.0.1", 0).start()) {
            Http.Answer a = Http.post(server.url() + "/embed",
                    json(java.util.Map.of("text", page(EmbeddingServer.MAX_BODY_BYTES + 10))));
            assertThat(a.status()).isEqualTo(413);
            assertThat(a.error()).startsWith("the request body is more than 2097152 bytes (2 MB), the most this server"
                    + " reads; send fewer texts per request, or shorter ones");
        }
    }

    @Test
    void moreTextsThanTheLimitIs413InWords() throws Exception {
        try (EmbeddingServer server = new EmbeddingServer(model, "127.0.0.1", 0).start()) {
            List<String> texts = java.util.Collections.nCopies(EmbeddingServer.MAX_BATCH + 1, "a text");
            Http.Answer a = Http.post(server.url() + "/embed/batch", json(java.util.Map.of("texts", texts)));
            assertThat(a.status()).isEqualTo(413);
            assertThat(a.error()).isEqualTo("texts: 257 texts are more than the 256 this server embeds in one request;"
                    + " send them in batches of 256 or fewer");
        }
    }

    @Test
    void aTextOfTwoMegabytesIsAnsweredAsFastAsAPage() throws Exception {
        try (EmbeddingServer server = new EmbeddingServer(model, "127.0.0.1", 0).start()) {
            String text = page(EmbeddingServer.MAX_BODY_BYTES - 100);
            long start = System.nanoTime();
            Http.Answer a = Http.post(server.url() + "/embed", json(java.util.Map.of("text", text)));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(a.status()).as(String.valueOf(a.error())).isEqualTo(200);
            assertThat(a.json().get("dimensions").asInt()).isEqualTo(384);
            assertThat(millis).as("ms for a 2 MB text").isLessThan(5_000);
        }
    }

    @Test
    void aRequestOverTheConcurrentLimitIs429WithRetryAfterAndHealthStillAnswers() throws Exception {
        // One embedding thread, held by a batch of long texts for well over the admission wait.
        try (EmbeddingServer server = new EmbeddingServer(model, "127.0.0.1", 0, 1).start()) {
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                texts.add(i + " " + page(2500));
            }
            long start = System.nanoTime();
            CompletableFuture<Http.Answer> busy = CompletableFuture.supplyAsync(() -> {
                try {
                    return Http.post(server.url() + "/embed/batch", json(java.util.Map.of("texts", texts)));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(300);
            Http.Answer health = Http.get(server.url() + "/health");
            Http.Answer refused = Http.post(server.url() + "/embed", json(java.util.Map.of("text", "one more")));
            Http.Answer done = busy.get();
            long batchMillis = (System.nanoTime() - start) / 1_000_000;

            assertThat(done.status()).isEqualTo(200);
            assertThat(batchMillis).as("the batch held the thread past the admission wait")
                    .isGreaterThan(EmbeddingServer.ADMIT_WAIT_MILLIS + 300);
            assertThat(health.status()).isEqualTo(200);
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.response().headers().firstValue("Retry-After")).hasValue("1");
            assertThat(refused.error()).isEqualTo("the server is busy: 1 requests are being embedded, as many as it"
                    + " embeds at once; try again in a second");
            // Free again: the next request is served.
            assertThat(Http.post(server.url() + "/embed", json(java.util.Map.of("text", "one more"))).status())
                    .isEqualTo(200);
        }
    }
}
