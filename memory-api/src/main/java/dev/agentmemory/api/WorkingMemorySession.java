package dev.agentmemory.api;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The working memory of one session of an agent on a project: a JSON-like context that lives until
 * {@code expiresAt}.
 *
 * @param sessionId null until created
 * @param projectId the project; required, not blank
 * @param context the session's state
 * @param createdAt when it was created
 * @param updatedAt when its context last changed
 * @param expiresAt when it expires; an expired session is never returned
 * @param version incremented on every change, for optimistic concurrency
 */
public record WorkingMemorySession(
        @Nullable UUID sessionId,
        String projectId,
        Map<String, Object> context,
        Instant createdAt,
        Instant updatedAt,
        Instant expiresAt,
        long version) {

    /** Validates every field. */
    public WorkingMemorySession {
        projectId = Episode.checkProjectId(projectId);
        context = JsonValues.copyMap("context", context);
        createdAt = createdAt == null ? Episode.now() : Episode.micros("createdAt", createdAt);
        updatedAt = updatedAt == null ? createdAt : Episode.micros("updatedAt", updatedAt);
        if (expiresAt == null) {
            throw new InvalidInputException("expiresAt", "is required");
        }
        expiresAt = Episode.micros("expiresAt", expiresAt);
        if (version < 0) {
            throw new InvalidInputException("version", version + " is negative");
        }
    }

    /**
     * @param now the current time
     * @return whether the session has expired at {@code now}
     */
    public boolean isExpired(Instant now) {
        return !expiresAt.isAfter(now);
    }
}
