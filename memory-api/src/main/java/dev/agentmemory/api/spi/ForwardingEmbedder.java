package dev.agentmemory.api.spi;

import dev.agentmemory.api.Embedder;
import java.util.List;
import java.util.Objects;

/**
 * An embedder that forwards every call to the embedder behind it; a wrapper (a cache, a listener,
 * the combining of concurrent calls, a test's gate) overrides only what it changes. Code that
 * looks for a capability of the embedder behind any number of wrappers (a circuit breaker, for
 * metrics) walks {@link #delegate()} until it finds one that is not a {@code ForwardingEmbedder}:
 * one rule for every wrapper, so that a new wrapper does not hide what is behind it.
 */
public abstract class ForwardingEmbedder implements Embedder {

    private final Embedder delegate;

    /** @param delegate the embedder that serves what this one does not override */
    protected ForwardingEmbedder(Embedder delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** @return the embedder behind this one */
    public final Embedder delegate() {
        return delegate;
    }

    @Override
    public float[] embed(String text) {
        return delegate.embed(text);
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        return delegate.embedAll(texts);
    }

    @Override
    public int dimensions() {
        return delegate.dimensions();
    }

    @Override
    public String modelName() {
        return delegate.modelName();
    }

    @Override
    public boolean healthCheck() {
        return delegate.healthCheck();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
