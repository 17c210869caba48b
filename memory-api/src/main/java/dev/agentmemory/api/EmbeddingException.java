package dev.agentmemory.api;

import org.jspecify.annotations.Nullable;

/**
 * An embedder failed: the service could not be reached, answered with an error status, or sent a
 * response that does not hold a valid vector. The message says which URL, the status and a short
 * excerpt of the body when there was one.
 */
public class EmbeddingException extends MemoryException {
    private static final long serialVersionUID = 1L;

    private final @Nullable String url;
    private final int status;
    private final boolean transientFailure;

    /**
     * @param message what went wrong
     * @param url the URL called, or null for an in-process model
     * @param status the HTTP status, or 0 when there was no response
     * @param transientFailure whether the same call may succeed later
     * @param cause the underlying failure, if any
     */
    public EmbeddingException(String message, @Nullable String url, int status,
                              boolean transientFailure, @Nullable Throwable cause) {
        super(message, cause);
        this.url = url;
        this.status = status;
        this.transientFailure = transientFailure;
    }

    public EmbeddingException(String message, @Nullable Throwable cause) {
        this(message, null, 0, false, cause);
    }

    /** @return the URL that was called, or null for an in-process model */
    public @Nullable String url() {
        return url;
    }

    /** @return the HTTP status, or 0 when no response arrived */
    public int status() {
        return status;
    }

    @Override
    public boolean isTransient() {
        return transientFailure;
    }
}
