package dev.agentmemory.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Working memory: short-lived sessions with a context, one agent's scratchpad for the work at
 * hand. Table {@code agent_working_memory} in PostgreSQL. An expired session is never returned.
 */
public interface WorkingMemory {

    /** How {@link #updateSession} changes the context. */
    enum UpdateMode {
        /** The new context replaces the old one. */
        REPLACE,
        /** The new context's keys are put into the old one; other keys stay. */
        MERGE
    }

    /**
     * @param projectId the project
     * @param context the initial context
     * @param ttl how long the session lives, more than zero
     * @return the new session, at version 1
     */
    WorkingMemorySession createSession(String projectId, Map<String, Object> context, Duration ttl);

    /**
     * @param sessionId an id
     * @return the session, or empty when it does not exist or has expired
     */
    Optional<WorkingMemorySession> getSession(UUID sessionId);

    /**
     * Changes a session's context if nobody else changed it since {@code expectedVersion}.
     *
     * @param sessionId the session
     * @param expectedVersion the version the caller read
     * @param context the new context
     * @param mode replace or merge
     * @return the session after the update, at the next version
     * @throws ConflictException when the session is at another version
     * @throws NotFoundException when it does not exist or has expired
     */
    WorkingMemorySession updateSession(UUID sessionId, long expectedVersion, Map<String, Object> context, UpdateMode mode);

    /**
     * @param sessionId the session
     * @param extension how much longer it lives, from its current expiry
     * @return the session after the change
     * @throws NotFoundException when it does not exist or has expired
     */
    WorkingMemorySession extendSession(UUID sessionId, Duration extension);

    /**
     * @param sessionId the session
     * @return true when it existed and is now ended
     */
    boolean endSession(UUID sessionId);

    /**
     * @param projectId the project
     * @return its sessions that have not expired, newest first
     */
    List<WorkingMemorySession> listActiveSessions(String projectId);

    /** @return how many expired sessions were removed */
    int cleanupExpired();
}
