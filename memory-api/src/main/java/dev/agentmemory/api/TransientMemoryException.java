package dev.agentmemory.api;

import org.jspecify.annotations.Nullable;

/**
 * A failure that may go away on its own: a lost connection, a database that is starting up, a
 * serialisation failure, a timeout. Safe operations are retried before this reaches the caller.
 */
public class TransientMemoryException extends MemoryException {
    private static final long serialVersionUID = 1L;

    public TransientMemoryException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isTransient() {
        return true;
    }
}
