package dev.agentmemory.testkit;

import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.EmbeddingException;
import dev.agentmemory.api.spi.ForwardingEmbedder;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real embedder behind a service that goes down part way: once it has embedded {@code limit}
 * texts, every request fails with an {@link EmbeddingException}. Put behind a real HTTP server, it
 * is the failure a real model cannot be made to give at a chosen moment (a resumed re-embed, a
 * batch cut short).
 */
public final class GoingDownEmbedder extends ForwardingEmbedder {

    private final int limit;
    private final AtomicInteger texts;

    /**
     * @param model the embedder that serves until the limit
     * @param limit how many texts it embeds before every request fails
     * @param texts counts the texts it embedded; shared, so that a test can read it
     */
    public GoingDownEmbedder(Embedder model, int limit, AtomicInteger texts) {
        super(model);
        this.limit = limit;
        this.texts = texts;
    }

    private void count(int n) {
        if (texts.get() + n > limit) {
            throw new EmbeddingException("the service is going down", null);
        }
        texts.addAndGet(n);
    }

    @Override
    public float[] embed(String text) {
        count(1);
        return delegate().embed(text);
    }

    @Override
    public List<float[]> embedAll(List<String> batch) {
        count(batch.size());
        return delegate().embedAll(batch);
    }
}
