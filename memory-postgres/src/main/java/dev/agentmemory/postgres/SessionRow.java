package dev.agentmemory.postgres;

import dev.agentmemory.api.WorkingMemorySession;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** One row of {@code agent_working_memory} as MyBatis reads and writes it. */
final class SessionRow {
    @Nullable UUID sessionId;
    @Nullable String projectId;
    @Nullable Map<String, Object> context;
    @Nullable Instant createdAt;
    @Nullable Instant updatedAt;
    @Nullable Instant expiresAt;
    @Nullable Long version;

    static SessionRow of(WorkingMemorySession s) {
        SessionRow r = new SessionRow();
        r.sessionId = s.sessionId();
        r.projectId = s.projectId();
        r.context = s.context();
        r.createdAt = s.createdAt();
        r.updatedAt = s.updatedAt();
        r.expiresAt = s.expiresAt();
        r.version = s.version();
        return r;
    }

    // The columns are NOT NULL in every schema we read (V5 gives the earlier writers' rows their
    // defaults); the session's constructor refuses a null by name anyway.
    @SuppressWarnings("NullAway")
    WorkingMemorySession toSession() {
        return new WorkingMemorySession(sessionId, projectId, context == null ? Map.of() : context, createdAt,
                updatedAt, expiresAt, version == null ? 1 : version);
    }
}
