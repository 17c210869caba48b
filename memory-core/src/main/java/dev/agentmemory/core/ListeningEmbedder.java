package dev.agentmemory.core;

import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.spi.ForwardingEmbedder;
import java.util.List;

/**
 * The embedder an {@link AgentMemorySystem} calls under its embedding cache: it tells the
 * system's {@link MemoryListener}s how long each call to the model or service took and how many
 * texts it embedded. A call that fails is not reported.
 */
public final class ListeningEmbedder extends ForwardingEmbedder {

    private final MemoryListeners listeners;

    ListeningEmbedder(Embedder delegate, MemoryListeners listeners) {
        super(delegate);
        this.listeners = listeners;
    }

    @Override
    public float[] embed(String text) {
        long start = System.nanoTime();
        float[] vector = delegate().embed(text);
        listeners.embedded(start, 1);
        return vector;
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        long start = System.nanoTime();
        List<float[]> vectors = delegate().embedAll(texts);
        if (!vectors.isEmpty()) {
            listeners.embedded(start, vectors.size());
        }
        return vectors;
    }
}
