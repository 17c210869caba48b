package dev.agentmemory.api;

import org.jspecify.annotations.Nullable;

/**
 * The root of every exception agent-memory throws. Unchecked.
 *
 * <p>{@link #isTransient()} tells whether the same call may succeed when tried again (a lost
 * connection, a timeout, a 503); bad input and missing configuration never are.
 */
public class MemoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MemoryException(String message) {
        super(message);
    }

    public MemoryException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    /** @return true when the failed operation may succeed if tried again unchanged */
    public boolean isTransient() {
        return false;
    }
}
