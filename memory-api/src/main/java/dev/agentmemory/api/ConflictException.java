package dev.agentmemory.api;

/**
 * An optimistic-concurrency check failed: another writer changed the record since the caller read
 * it. Read it again and retry with the new version.
 */
public class ConflictException extends MemoryException {
    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
        super(message);
    }
}
