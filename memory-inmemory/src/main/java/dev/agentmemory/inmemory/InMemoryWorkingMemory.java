package dev.agentmemory.inmemory;

import dev.agentmemory.api.Checks;
import dev.agentmemory.api.ConflictException;
import dev.agentmemory.api.JsonValues;
import dev.agentmemory.api.NotFoundException;
import dev.agentmemory.api.WorkingMemory;
import dev.agentmemory.api.WorkingMemorySession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Working memory held in the JVM. Each session is one entry of a {@link ConcurrentHashMap},
 * changed with {@code compute}, so the version check of {@link #updateSession} and the write it
 * guards are one atomic step: of two writers holding the same version, exactly one wins.
 *
 * <p>Time comes from the {@link Clock} given to the constructor. An expired session is never
 * returned and cannot be changed; it stays in memory until {@link #cleanupExpired()} or
 * {@link #endSession} removes it.
 */
public final class InMemoryWorkingMemory implements WorkingMemory {

    private static final Comparator<WorkingMemorySession> NEWEST_FIRST = Comparator
            .comparing(WorkingMemorySession::createdAt).reversed()
            .thenComparing(s -> String.valueOf(s.sessionId())); // stored sessions all have ids

    private final Clock clock;
    private final ConcurrentHashMap<UUID, WorkingMemorySession> sessions = new ConcurrentHashMap<>();

    /** A working memory on the system clock. */
    public InMemoryWorkingMemory() {
        this(Clock.systemUTC());
    }

    /** @param clock where the time comes from, for creation, updates and expiry */
    public InMemoryWorkingMemory(Clock clock) {
        this.clock = Checks.required("clock", clock);
    }

    @Override
    public WorkingMemorySession createSession(String projectId, Map<String, Object> context, Duration ttl) {
        Checks.positive("ttl", ttl);
        Instant now = Checks.now(clock);
        WorkingMemorySession session = new WorkingMemorySession(UUID.randomUUID(), Checks.projectId(projectId),
                JsonValues.copyMap("context", context), now, now, Checks.plus("ttl", now, ttl), 1);
        sessions.put(session.sessionId(), session);
        return session;
    }

    @Override
    public Optional<WorkingMemorySession> getSession(UUID sessionId) {
        Checks.required("sessionId", sessionId);
        WorkingMemorySession s = sessions.get(sessionId);
        return s == null || s.isExpired(clock.instant()) ? Optional.empty() : Optional.of(s);
    }

    @Override
    public WorkingMemorySession updateSession(UUID sessionId, long expectedVersion, Map<String, Object> context,
                                              UpdateMode mode) {
        Checks.required("sessionId", sessionId);
        Map<String, Object> checked = JsonValues.copyMap("context", context);
        Checks.required("mode", mode);
        return change(sessionId, current -> {
            if (current.version() != expectedVersion) {
                throw new ConflictException("session " + sessionId + " is at version " + current.version()
                        + ", the update expected version " + expectedVersion);
            }
            Map<String, Object> next;
            if (mode == UpdateMode.MERGE) {
                next = new LinkedHashMap<>(current.context());
                next.putAll(checked);
            } else {
                next = checked;
            }
            return new WorkingMemorySession(current.sessionId(), current.projectId(), next, current.createdAt(),
                    Checks.now(clock), current.expiresAt(), current.version() + 1);
        });
    }

    @Override
    public WorkingMemorySession extendSession(UUID sessionId, Duration extension) {
        Checks.required("sessionId", sessionId);
        Checks.positive("extension", extension);
        return change(sessionId, current -> new WorkingMemorySession(current.sessionId(), current.projectId(),
                current.context(), current.createdAt(), current.updatedAt(),
                Checks.plus("extension", current.expiresAt(), extension), current.version()));
    }

    private interface Change {
        WorkingMemorySession apply(WorkingMemorySession current);
    }

    /** Applies a change to a live session atomically; an absent or expired one is not found. */
    private WorkingMemorySession change(UUID sessionId, Change change) {
        WorkingMemorySession result = sessions.computeIfPresent(sessionId, (id, current) -> {
            if (current.isExpired(clock.instant())) {
                throw new NotFoundException("session", sessionId);
            }
            return change.apply(current);
        });
        if (result == null) {
            throw new NotFoundException("session", sessionId);
        }
        return result;
    }

    @Override
    public boolean endSession(UUID sessionId) {
        Checks.required("sessionId", sessionId);
        AtomicBoolean wasLive = new AtomicBoolean();
        sessions.computeIfPresent(sessionId, (id, current) -> {
            wasLive.set(!current.isExpired(clock.instant()));
            return null;
        });
        return wasLive.get();
    }

    @Override
    public List<WorkingMemorySession> listActiveSessions(String projectId) {
        Checks.projectId(projectId);
        Instant now = clock.instant();
        return sessions.values().stream()
                .filter(s -> s.projectId().equals(projectId) && !s.isExpired(now))
                .sorted(NEWEST_FIRST)
                .toList();
    }

    @Override
    public int cleanupExpired() {
        Instant now = clock.instant();
        AtomicInteger removed = new AtomicInteger();
        for (UUID id : sessions.keySet()) {
            sessions.computeIfPresent(id, (key, s) -> {
                if (s.isExpired(now)) {
                    removed.incrementAndGet();
                    return null;
                }
                return s;
            });
        }
        return removed.get();
    }
}
