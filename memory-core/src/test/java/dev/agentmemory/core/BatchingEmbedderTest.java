package dev.agentmemory.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.api.EmbeddingException;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.spi.ForwardingEmbedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Concurrent single-text embeddings are combined into batch calls of the real local model, and
 * each caller gets the vector of its own text, or the failure its own text caused.
 */
class BatchingEmbedderTest {

    private static final LocalModel MODEL = new LocalModel();

    private final ExecutorService callers = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        callers.shutdownNow();
    }

    /**
     * The local model, held at its first call until the test lets it go, so that the other callers
     * queue behind it; it records the size of every call, and fails a text named "poison" (a
     * failure the real model cannot be made to give).
     */
    private static final class Gated extends ForwardingEmbedder {
        final CountDownLatch release = new CountDownLatch(1);
        final List<Integer> calls = new CopyOnWriteArrayList<>();
        private boolean first = true;

        Gated() {
            super(MODEL);
        }

        @Override
        public float[] embed(String text) {
            hold();
            calls.add(1);
            if (text.equals("poison")) {
                throw new EmbeddingException("the model failed on this text", null);
            }
            return MODEL.embed(text);
        }

        @Override
        public List<float[]> embedAll(List<String> texts) {
            hold();
            calls.add(texts.size());
            if (texts.contains("poison")) {
                throw new EmbeddingException("the model failed on one text of the batch", null);
            }
            return MODEL.embedAll(texts);
        }

        private void hold() {
            boolean wait;
            synchronized (this) {
                wait = first;
                first = false;
            }
            if (wait) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Starts one caller per text, the first alone, the rest once the first holds the model. */
    private Map<String, Future<float[]>> callConcurrently(BatchingEmbedder batching, Gated gated, List<String> texts)
            throws InterruptedException {
        Map<String, Future<float[]>> out = new ConcurrentHashMap<>();
        out.put(texts.get(0), callers.submit(() -> batching.embed(texts.get(0))));
        while (!batching.running()) {
            Thread.sleep(1);
        }
        for (String text : texts.subList(1, texts.size())) {
            out.put(text, callers.submit(() -> batching.embed(text)));
        }
        while (batching.waiting() < texts.size() - 1) {
            Thread.sleep(1);
        }
        gated.release.countDown();
        return out;
    }

    @Test
    void callersWhoCameWhileTheModelRanShareOneBatchAndEachGetsItsOwnVector() throws Exception {
        Gated gated = new Gated();
        BatchingEmbedder batching = new BatchingEmbedder(gated, 64);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            texts.add("sprint " + i + " was overloaded: " + (10 + i) + " tasks for 3 developers");
        }

        Map<String, Future<float[]>> results = callConcurrently(batching, gated, texts);

        for (String text : texts) {
            assertThat(results.get(text).get(30, TimeUnit.SECONDS)).containsExactly(MODEL.embed(text));
        }
        // The first alone, then the seven who queued behind it in one call.
        assertThat(gated.calls).containsExactly(1, 7);
    }

    @Test
    void aTextTheModelFailsOnFailsOnlyItsOwnCaller() throws Exception {
        Gated gated = new Gated();
        BatchingEmbedder batching = new BatchingEmbedder(gated, 64);
        List<String> texts = List.of("the first text", "poison", "a deploy failed on Friday", "the build is green");

        Map<String, Future<float[]>> results = callConcurrently(batching, gated, texts);

        assertThatThrownBy(() -> results.get("poison").get(30, TimeUnit.SECONDS))
                .hasCauseInstanceOf(EmbeddingException.class);
        for (String text : List.of("the first text", "a deploy failed on Friday", "the build is green")) {
            assertThat(results.get(text).get(30, TimeUnit.SECONDS)).containsExactly(MODEL.embed(text));
        }
    }

    @Test
    void noCombinedCallHoldsMoreThanTheLimitAndEveryCallerIsAnswered() throws Exception {
        Gated gated = new Gated();
        BatchingEmbedder batching = new BatchingEmbedder(gated, 2);
        List<String> texts = List.of("one", "two", "three", "four", "five", "six");

        Map<String, Future<float[]>> results = callConcurrently(batching, gated, texts);

        for (String text : texts) {
            assertThat(results.get(text).get(30, TimeUnit.SECONDS)).containsExactly(MODEL.embed(text));
        }
        assertThat(gated.calls).containsExactly(1, 2, 2, 1);
    }

    @Test
    void aBlankTextIsRefusedBeforeItJoinsABatch() {
        BatchingEmbedder batching = new BatchingEmbedder(MODEL, 64);
        assertThatThrownBy(() -> batching.embed("  ")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("text");
        assertThatThrownBy(() -> new BatchingEmbedder(MODEL, 0)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("maxBatch");
        assertThat(batching.waiting()).isZero();
    }
}
