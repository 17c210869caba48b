package dev.agentmemory.api;

import org.jspecify.annotations.Nullable;

/**
 * The store failed in a way that a retry will not mend (a constraint the library did not expect,
 * a schema that does not match, a permission). Transient failures are
 * {@link TransientMemoryException}s instead.
 */
public class StorageException extends MemoryException {
    private static final long serialVersionUID = 1L;

    public StorageException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
