package dev.agentmemory.server;

import dev.agentmemory.api.MemoryException;

/** The request's key does not reach the project it names. Nothing was written. */
public final class AccessDeniedException extends MemoryException {
    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * @param field the field that named the project
     * @param projectId the project the key does not reach
     */
    public AccessDeniedException(String field, String projectId) {
        super(field + ": this key does not reach project '" + projectId + "'");
        this.field = field;
    }

    /** @return the field that named the project */
    public String field() {
        return field;
    }
}
