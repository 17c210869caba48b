package dev.agentmemory.server;

import dev.agentmemory.api.TransientMemoryException;

/** The memory did not answer within the server's request timeout; the request may be tried again. */
public final class RequestTimeoutException extends TransientMemoryException {
    private static final long serialVersionUID = 1L;

    /** @param message what timed out, and after how long */
    public RequestTimeoutException(String message) {
        super(message, null);
    }
}
