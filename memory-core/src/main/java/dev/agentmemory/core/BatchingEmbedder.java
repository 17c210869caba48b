package dev.agentmemory.core;

import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.EmbeddingException;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.spi.ForwardingEmbedder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Combines the single-text {@link #embed} calls of concurrent callers into {@link Embedder#embedAll}
 * calls of the embedder behind it, with no timer: a caller who finds the embedder idle embeds its
 * text at once, alone; callers who arrive while a call runs queue, and when it returns the first of
 * them embeds the whole queue (up to {@code maxBatch} texts, oldest first) in one call. A caller
 * therefore waits at most for the call running when it came and for its own, and the texts
 * waiting are served in arrival order, so that one caller is not passed over while others are
 * served (the tail latency of many agents sharing one model).
 *
 * <p>Why: 64 agents on two cores each running the model for one text ran 64 model runs at once,
 * the slowest waiting a second; combined, the model runs what its batch path runs (one run per
 * core for the local model) and each caller waits in line. The embedder behind must give a text
 * the same vector in a batch as alone, as {@code OnnxEmbedder} and the HTTP clients do.
 *
 * <p>Errors go to the caller whose text caused them: when a combined call fails, each of its texts
 * is embedded again alone, so that one caller's failure is not everyone's. A blank text is refused
 * before it joins a batch. {@link #embedAll} passes through uncombined: it is a batch already.
 *
 * <p>{@link AgentMemorySystem} puts one in front of its embedder
 * ({@link MemorySettings#embeddingBatchLimit()}); it is public so that code which looks through the
 * wrappers for the embedder behind them (metrics of a circuit breaker) can, via {@link #delegate()}.
 */
public final class BatchingEmbedder extends ForwardingEmbedder {

    private final int maxBatch;
    private final ArrayDeque<Request> queue = new ArrayDeque<>();
    private boolean running;

    /** A text waiting for its vector, and what it got. */
    private static final class Request {
        final String text;
        float @Nullable [] vector;
        @Nullable RuntimeException failure;
        boolean queued;
        boolean done;

        Request(String text) {
            this.text = text;
        }
    }

    /**
     * @param delegate the embedder whose batch path serves the combined calls
     * @param maxBatch the most texts one combined call embeds, 1 or more (1: every call alone, in line)
     */
    BatchingEmbedder(Embedder delegate, int maxBatch) {
        super(delegate);
        if (maxBatch < 1) {
            throw new InvalidInputException("maxBatch", maxBatch + " must be at least 1");
        }
        this.maxBatch = maxBatch;
    }

    @Override
    public float[] embed(String text) {
        if (text == null) {
            throw new InvalidInputException("text", "is required");
        }
        if (text.isBlank()) {
            throw new InvalidInputException("text", "is blank; there is nothing to embed");
        }
        Request mine = new Request(text);
        boolean interrupted = false;
        try {
            while (true) {
                List<Request> batch;
                synchronized (this) {
                    if (!mine.queued) {
                        queue.add(mine);
                        mine.queued = true;
                    }
                    while (running && !mine.done) {
                        try {
                            wait();
                        } catch (InterruptedException e) {
                            if (queue.remove(mine)) {
                                Thread.currentThread().interrupt();
                                throw new EmbeddingException("interrupted while waiting for the embedder", e);
                            }
                            // A running call holds the text: its answer comes soon, wait for it.
                            interrupted = true;
                        }
                    }
                    if (mine.done) {
                        return result(mine);
                    }
                    // The embedder is idle and this text still waits: this caller embeds the queue,
                    // oldest first. With more than maxBatch waiting its own text may be in a later batch.
                    running = true;
                    batch = new ArrayList<>(Math.min(queue.size(), maxBatch));
                    while (!queue.isEmpty() && batch.size() < maxBatch) {
                        batch.add(queue.poll());
                    }
                }
                try {
                    run(batch);
                } finally {
                    synchronized (this) {
                        running = false;
                        for (Request r : batch) {
                            r.done = true;
                        }
                        notifyAll();
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** @return whether a call of the embedder runs now (for tests) */
    synchronized boolean running() {
        return running;
    }

    /** @return how many texts wait for the next call (for tests) */
    synchronized int waiting() {
        return queue.size();
    }

    private static float[] result(Request r) {
        if (r.failure != null) {
            throw r.failure;
        }
        return Objects.requireNonNull(r.vector, "a finished request has a vector or a failure");
    }

    /** Embeds the batch's texts, alone when it is one, and gives each request its vector or failure. */
    private void run(List<Request> batch) {
        if (batch.size() == 1) {
            embedAlone(batch.get(0));
            return;
        }
        List<String> texts = new ArrayList<>(batch.size());
        for (Request r : batch) {
            texts.add(r.text);
        }
        List<float[]> vectors;
        try {
            vectors = delegate().embedAll(texts);
        } catch (RuntimeException e) {
            // Which text failed is unknown: each is tried alone, so each caller gets its own answer.
            for (Request r : batch) {
                embedAlone(r);
            }
            return;
        }
        if (vectors.size() != batch.size()) {
            EmbeddingException wrong = new EmbeddingException(delegate().modelName() + " returned " + vectors.size()
                    + " vectors for " + batch.size() + " texts", null);
            for (Request r : batch) {
                r.failure = wrong;
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).vector = vectors.get(i);
        }
    }

    private void embedAlone(Request r) {
        try {
            r.vector = delegate().embed(r.text);
        } catch (RuntimeException e) {
            r.failure = e;
        }
    }

    @Override
    public String toString() {
        return "BatchingEmbedder{" + delegate() + ", maxBatch=" + maxBatch + "}";
    }
}
