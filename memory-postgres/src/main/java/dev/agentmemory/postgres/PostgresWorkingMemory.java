package dev.agentmemory.postgres;

import dev.agentmemory.api.ConflictException;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.JsonValues;
import dev.agentmemory.api.NotFoundException;
import dev.agentmemory.api.WorkingMemory;
import dev.agentmemory.api.WorkingMemorySession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Working memory in PostgreSQL: table {@code agent_working_memory}.
 *
 * <p>Time comes from the {@link Clock} the store was created with, never from the database, so
 * that one clock decides expiry. Updates are optimistic: {@code UPDATE ... WHERE session_id = ? AND
 * version = ?}, and a writer who lost the race gets a {@link ConflictException}. An expired session
 * behaves as if it did not exist.
 *
 * <p>Works on any {@link DataSource} (never closed here), on a schema made by
 * {@link PostgresSchema#migrate}. Safe for concurrent use.
 */
public final class PostgresWorkingMemory implements WorkingMemory {

    private final Database db;
    private final Clock clock;

    /**
     * @param dataSource where connections come from; never closed by the store
     */
    public PostgresWorkingMemory(DataSource dataSource) {
        this(dataSource, Clock.systemUTC());
    }

    /**
     * @param dataSource where connections come from; never closed by the store
     * @param clock where the store reads the time
     */
    public PostgresWorkingMemory(DataSource dataSource, Clock clock) {
        this(Database.on(Checks.required("dataSource", dataSource)), clock);
    }

    PostgresWorkingMemory(Database db, Clock clock) {
        this.db = db;
        this.clock = Checks.required("clock", clock);
    }

    @Override
    public WorkingMemorySession createSession(String projectId, Map<String, Object> context, Duration ttl) {
        Checks.projectId(projectId);
        Map<String, Object> ctx = JsonValues.copyMap("context", context);
        Checks.positive("ttl", ttl);
        Instant now = Checks.now(clock);
        WorkingMemorySession session = new WorkingMemorySession(UUID.randomUUID(), projectId, ctx, now, now,
                Checks.plus("ttl", now, ttl), 1);
        SessionRow row = SessionRow.of(session);
        db.autoCommit("creating a session", s -> s.getMapper(WorkingMemoryMapper.class).insert(row));
        return session;
    }

    @Override
    public Optional<WorkingMemorySession> getSession(UUID sessionId) {
        Checks.required("sessionId", sessionId);
        Instant now = Checks.now(clock);
        SessionRow row = db.autoCommit("reading a session", s -> s.getMapper(WorkingMemoryMapper.class).findLive(sessionId, now));
        return Optional.ofNullable(row).map(SessionRow::toSession);
    }

    @Override
    public WorkingMemorySession updateSession(UUID sessionId, long expectedVersion, Map<String, Object> context,
                                              UpdateMode mode) {
        Checks.required("sessionId", sessionId);
        Map<String, Object> ctx = JsonValues.copyMap("context", context);
        Checks.required("mode", mode);
        Instant now = Checks.now(clock);
        return db.autoCommit("updating a session", s -> {
            WorkingMemoryMapper m = s.getMapper(WorkingMemoryMapper.class);
            SessionRow row = m.update(sessionId, expectedVersion, ctx, mode == UpdateMode.MERGE, now);
            if (row != null) {
                return row.toSession();
            }
            // No row changed: tell a stale version from a session that is gone.
            SessionRow current = m.findLive(sessionId, now);
            if (current == null) {
                throw new NotFoundException("session", sessionId);
            }
            throw new ConflictException("session " + sessionId + " is at version " + current.version
                    + ", not " + expectedVersion + ": read it again and retry");
        });
    }

    @Override
    public WorkingMemorySession extendSession(UUID sessionId, Duration extension) {
        Checks.required("sessionId", sessionId);
        Checks.positive("extension", extension);
        long micros;
        try {
            micros = Math.multiplyExact(extension.getSeconds(), 1_000_000L) + extension.getNano() / 1_000;
        } catch (ArithmeticException e) {
            throw new InvalidInputException("extension", extension + " reaches beyond the latest time that can be stored");
        }
        if (micros == 0) {
            throw new InvalidInputException("extension", extension + " is shorter than a microsecond, the precision of stored times");
        }
        Instant now = Checks.now(clock);
        return db.autoCommit("extending a session", s -> {
            WorkingMemoryMapper m = s.getMapper(WorkingMemoryMapper.class);
            SessionRow current = m.findLive(sessionId, now);
            if (current == null || current.expiresAt == null) {
                throw new NotFoundException("session", sessionId);
            }
            Checks.plus("extension", current.expiresAt, extension);
            SessionRow row = m.extend(sessionId, micros, now);
            if (row == null) {
                throw new NotFoundException("session", sessionId);
            }
            return row.toSession();
        });
    }

    @Override
    public boolean endSession(UUID sessionId) {
        Checks.required("sessionId", sessionId);
        Instant now = Checks.now(clock);
        return db.autoCommit("ending a session", s -> s.getMapper(WorkingMemoryMapper.class).endLive(sessionId, now)) > 0;
    }

    @Override
    public List<WorkingMemorySession> listActiveSessions(String projectId) {
        Checks.projectId(projectId);
        Instant now = Checks.now(clock);
        List<SessionRow> rows = db.autoCommit("listing sessions",
                s -> s.getMapper(WorkingMemoryMapper.class).listLive(projectId, now));
        List<WorkingMemorySession> out = new ArrayList<>(rows.size());
        for (SessionRow r : rows) {
            out.add(r.toSession());
        }
        return out;
    }

    @Override
    public int cleanupExpired() {
        Instant now = Checks.now(clock);
        return db.autoCommit("removing expired sessions", s -> s.getMapper(WorkingMemoryMapper.class).deleteExpired(now));
    }

    @Override
    public String toString() {
        return "PostgresWorkingMemory{clock=" + clock + "}";
    }
}
