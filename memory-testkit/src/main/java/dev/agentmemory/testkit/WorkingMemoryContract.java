package dev.agentmemory.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.api.ConflictException;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.NotFoundException;
import dev.agentmemory.api.WorkingMemory;
import dev.agentmemory.api.WorkingMemory.UpdateMode;
import dev.agentmemory.api.WorkingMemorySession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link WorkingMemory} shares. A backend's test extends this class and
 * implements {@link #newWorkingMemory(Clock)}.
 *
 * <p>Time comes from the {@link Clock} the store is created with, never from elsewhere (not the
 * database's {@code now()}): the tests move a {@link MutableClock} to expire sessions instead of
 * sleeping. Rules this contract pins down beyond the interface's words:
 * <ul>
 *   <li>{@code createdAt} and {@code updatedAt} are the clock's time; {@code expiresAt} is that
 *       time plus the TTL; a session has expired once the clock reaches {@code expiresAt}.</li>
 *   <li>TTLs and extensions must be more than zero.</li>
 *   <li>{@code updateSession} sets {@code updatedAt} to now and adds one to the version;
 *       {@code MERGE} puts the new top-level keys into the old context (a shallow merge).</li>
 *   <li>{@code extendSession} moves {@code expiresAt} only: the context, the version and
 *       {@code updatedAt} stay, so that a keep-alive does not make the owner's next update conflict.</li>
 *   <li>An expired session behaves as if it did not exist, in every method: not returned, not
 *       updatable or extendable (NotFound), {@code endSession} answers false.</li>
 * </ul>
 */
public abstract class WorkingMemoryContract {

    /** Where the clock stands when each test starts, with microseconds. */
    protected static final Instant START = Instant.parse("2024-05-01T12:00:00.123456Z");
    private static final Duration HOUR = Duration.ofHours(1);

    /** The clock the store under test reads; tests move it. */
    protected MutableClock clock;
    /** The store under test, fresh and empty for each test. */
    protected WorkingMemory memory;

    /**
     * @param clock where the store must read the time
     * @return a new, empty working memory
     */
    protected abstract WorkingMemory newWorkingMemory(Clock clock);

    /** Releases the store after each test; override when the backend holds resources. */
    protected void closeStore(WorkingMemory m) {
    }

    @BeforeEach
    void createStore() {
        clock = MutableClock.at(START);
        memory = newWorkingMemory(clock);
    }

    @AfterEach
    void releaseStore() {
        closeStore(memory);
    }

    private static Map<String, Object> context(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private static List<UUID> ids(List<WorkingMemorySession> sessions) {
        return sessions.stream().map(WorkingMemorySession::sessionId).collect(Collectors.toList());
    }

    // ---- create and get -----------------------------------------------------------------------

    @Test
    void createSessionStartsAtVersionOneAndExpiresAfterTheTtl() {
        Map<String, Object> ctx = context("step", "planning", "tasks", List.of(1, 2), "deep", Map.of("a", Map.of("b", true)));

        WorkingMemorySession s = memory.createSession("acme", ctx, Duration.ofMinutes(30));

        assertThat(s.sessionId()).isNotNull();
        assertThat(s.projectId()).isEqualTo("acme");
        assertThat(s.context()).isEqualTo(ctx);
        assertThat(s.version()).isEqualTo(1);
        assertThat(s.createdAt()).isEqualTo(START);
        assertThat(s.updatedAt()).isEqualTo(START);
        assertThat(s.expiresAt()).isEqualTo(START.plus(Duration.ofMinutes(30)));
    }

    @Test
    void createSessionRejectsATtlThatIsNotPositive() {
        assertThatThrownBy(() -> memory.createSession("acme", Map.of(), Duration.ZERO))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("ttl");
        assertThatThrownBy(() -> memory.createSession("acme", Map.of(), Duration.ofSeconds(-5)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("ttl");
        assertThat(memory.listActiveSessions("acme")).isEmpty();
    }

    @Test
    void createSessionRejectsABlankProjectAndAContextThatIsNotJsonLike() {
        assertThatThrownBy(() -> memory.createSession(" ", Map.of(), HOUR))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("projectId");
        assertThatThrownBy(() -> memory.createSession("acme", Map.of("x", new Object()), HOUR))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("context.x");
        assertThat(memory.listActiveSessions("acme")).isEmpty();
    }

    @Test
    void getSessionReturnsTheSessionAsCreated() {
        WorkingMemorySession s = memory.createSession("acme", context("k", 1), HOUR);

        assertThat(memory.getSession(s.sessionId())).contains(s);
    }

    @Test
    void getSessionIsEmptyForAnUnknownId() {
        memory.createSession("acme", Map.of(), HOUR);

        assertThat(memory.getSession(UUID.randomUUID())).isEmpty();
    }

    @Test
    void expiredSessionIsNeverReturned() {
        WorkingMemorySession s = memory.createSession("acme", Map.of(), Duration.ofMillis(50));

        clock.advance(Duration.ofMillis(49));
        assertThat(memory.getSession(s.sessionId())).isPresent();

        clock.advance(Duration.ofMillis(1));
        assertThat(memory.getSession(s.sessionId())).isEmpty();
        assertThat(memory.listActiveSessions("acme")).isEmpty();
    }

    // ---- update -------------------------------------------------------------------------------

    @Test
    void replaceUpdateSwapsTheContextAndMovesToTheNextVersion() {
        WorkingMemorySession s = memory.createSession("acme", context("a", 1, "b", 2), HOUR);
        clock.advance(Duration.ofSeconds(3));

        WorkingMemorySession updated = memory.updateSession(s.sessionId(), 1, context("c", 3), UpdateMode.REPLACE);

        assertThat(updated.context()).isEqualTo(context("c", 3));
        assertThat(updated.version()).isEqualTo(2);
        assertThat(updated.updatedAt()).isEqualTo(START.plusSeconds(3));
        assertThat(updated.createdAt()).isEqualTo(START);
        assertThat(updated.expiresAt()).isEqualTo(s.expiresAt());
        assertThat(memory.getSession(s.sessionId())).contains(updated);
    }

    @Test
    void mergeUpdatePutsNewKeysAndKeepsTheOthers() {
        WorkingMemorySession s = memory.createSession("acme", context("a", 1, "b", Map.of("x", 1)), HOUR);

        WorkingMemorySession updated = memory.updateSession(s.sessionId(), 1,
                context("b", Map.of("y", 2), "c", null), UpdateMode.MERGE);

        assertThat(updated.context()).isEqualTo(context("a", 1, "b", Map.of("y", 2), "c", null));
        assertThat(updated.version()).isEqualTo(2);
    }

    @Test
    void updateWithAStaleVersionThrowsConflictAndChangesNothing() {
        WorkingMemorySession s = memory.createSession("acme", context("a", 1), HOUR);
        memory.updateSession(s.sessionId(), 1, context("a", 2), UpdateMode.REPLACE);

        assertThatThrownBy(() -> memory.updateSession(s.sessionId(), 1, context("a", 3), UpdateMode.REPLACE))
                .isInstanceOf(ConflictException.class);

        WorkingMemorySession now = memory.getSession(s.sessionId()).orElseThrow();
        assertThat(now.context()).isEqualTo(context("a", 2));
        assertThat(now.version()).isEqualTo(2);
    }

    @Test
    void updateOfAnUnknownOrExpiredSessionThrowsNotFound() {
        WorkingMemorySession s = memory.createSession("acme", Map.of(), Duration.ofMinutes(1));
        clock.advance(Duration.ofMinutes(1));

        assertThatThrownBy(() -> memory.updateSession(UUID.randomUUID(), 1, Map.of(), UpdateMode.REPLACE))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> memory.updateSession(s.sessionId(), 1, Map.of(), UpdateMode.MERGE))
                .isInstanceOf(NotFoundException.class).hasMessageContaining(s.sessionId().toString());
    }

    @Test
    void updateRejectsAContextThatIsNotJsonLikeAndChangesNothing() {
        WorkingMemorySession s = memory.createSession("acme", context("a", 1), HOUR);

        assertThatThrownBy(() -> memory.updateSession(s.sessionId(), 1, Map.of("bad", "nul\0char"), UpdateMode.MERGE))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("context.bad");
        assertThat(memory.getSession(s.sessionId())).contains(s);
    }

    @Test
    void ofTwoWritersWithTheSameVersionExactlyOneWins() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                WorkingMemorySession s = memory.createSession("acme", context("round", round), HOUR);
                CountDownLatch start = new CountDownLatch(1);
                List<Callable<WorkingMemorySession>> writers = new ArrayList<>();
                for (String writer : List.of("left", "right")) {
                    writers.add(() -> {
                        start.await();
                        return memory.updateSession(s.sessionId(), 1, context("writer", writer), UpdateMode.MERGE);
                    });
                }
                List<Future<WorkingMemorySession>> futures = new ArrayList<>();
                for (Callable<WorkingMemorySession> w : writers) {
                    futures.add(pool.submit(w));
                }
                start.countDown();

                List<WorkingMemorySession> wins = new ArrayList<>();
                List<Throwable> losses = new ArrayList<>();
                for (Future<WorkingMemorySession> f : futures) {
                    try {
                        wins.add(f.get(60, TimeUnit.SECONDS));
                    } catch (ExecutionException e) {
                        losses.add(e.getCause());
                    }
                }

                assertThat(wins).hasSize(1);
                assertThat(losses).singleElement().isInstanceOf(ConflictException.class);
                WorkingMemorySession stored = memory.getSession(s.sessionId()).orElseThrow();
                assertThat(stored.version()).isEqualTo(2);
                assertThat(stored.context()).isEqualTo(wins.get(0).context());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- extend, end, list, cleanup ----------------------------------------------------------

    @Test
    void extendSessionMovesTheExpiryAndNothingElse() {
        WorkingMemorySession s = memory.createSession("acme", context("a", 1), Duration.ofMinutes(10));
        clock.advance(Duration.ofMinutes(5));

        WorkingMemorySession extended = memory.extendSession(s.sessionId(), Duration.ofMinutes(20));

        assertThat(extended.expiresAt()).isEqualTo(START.plus(Duration.ofMinutes(30)));
        assertThat(extended.version()).isEqualTo(s.version());
        assertThat(extended.context()).isEqualTo(s.context());
        assertThat(extended.updatedAt()).isEqualTo(s.updatedAt());
        clock.advance(Duration.ofMinutes(20));
        assertThat(memory.getSession(s.sessionId())).contains(extended);
        assertThat(memory.updateSession(s.sessionId(), s.version(), context("a", 2), UpdateMode.MERGE).version()).isEqualTo(2);
    }

    @Test
    void extendSessionOfAnUnknownOrExpiredSessionThrowsNotFound() {
        WorkingMemorySession s = memory.createSession("acme", Map.of(), Duration.ofMinutes(1));
        clock.advance(Duration.ofMinutes(2));

        assertThatThrownBy(() -> memory.extendSession(s.sessionId(), HOUR)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> memory.extendSession(UUID.randomUUID(), HOUR)).isInstanceOf(NotFoundException.class);
        assertThat(memory.getSession(s.sessionId())).isEmpty();
    }

    @Test
    void extendSessionRejectsAnExtensionThatIsNotPositive() {
        WorkingMemorySession s = memory.createSession("acme", Map.of(), HOUR);

        assertThatThrownBy(() -> memory.extendSession(s.sessionId(), Duration.ZERO))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("extension");
        assertThatThrownBy(() -> memory.extendSession(s.sessionId(), Duration.ofMinutes(-1)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("extension");
        assertThat(memory.getSession(s.sessionId())).contains(s);
    }

    @Test
    void endSessionSaysWhetherTheSessionWasLive() {
        WorkingMemorySession s = memory.createSession("acme", Map.of(), HOUR);
        WorkingMemorySession shortLived = memory.createSession("acme", Map.of(), Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));

        assertThat(memory.endSession(s.sessionId())).isTrue();
        assertThat(memory.getSession(s.sessionId())).isEmpty();
        assertThat(memory.endSession(s.sessionId())).isFalse();
        assertThat(memory.endSession(UUID.randomUUID())).isFalse();
        assertThat(memory.endSession(shortLived.sessionId())).isFalse();
    }

    @Test
    void listActiveSessionsReturnsTheProjectsLiveSessionsNewestFirst() {
        WorkingMemorySession oldest = memory.createSession("acme", Map.of(), HOUR);
        clock.advance(Duration.ofSeconds(1));
        memory.createSession("beta", Map.of(), HOUR);
        memory.createSession("acme", Map.of(), Duration.ofSeconds(2));
        clock.advance(Duration.ofSeconds(1));
        WorkingMemorySession newest = memory.createSession("acme", Map.of(), HOUR);
        WorkingMemorySession ended = memory.createSession("acme", Map.of(), HOUR);
        memory.endSession(ended.sessionId());
        clock.advance(Duration.ofSeconds(1));

        assertThat(ids(memory.listActiveSessions("acme"))).containsExactly(newest.sessionId(), oldest.sessionId());
        assertThat(memory.listActiveSessions("nobody")).isEmpty();
    }

    @Test
    void listActiveSessionsRejectsABlankProject() {
        assertThatThrownBy(() -> memory.listActiveSessions("")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("projectId");
    }

    @Test
    void cleanupExpiredRemovesOnlyExpiredSessionsAndCountsThem() {
        memory.createSession("acme", Map.of(), Duration.ofSeconds(10));
        memory.createSession("beta", Map.of(), Duration.ofSeconds(20));
        WorkingMemorySession live = memory.createSession("acme", Map.of(), HOUR);
        clock.advance(Duration.ofSeconds(20));

        assertThat(memory.cleanupExpired()).isEqualTo(2);
        assertThat(memory.cleanupExpired()).isZero();
        assertThat(memory.getSession(live.sessionId())).contains(live);
    }

    @Test
    void sqlLookingProjectIdIsKeptLiterally() {
        String project = "x'; DROP TABLE agent_working_memory; --";
        WorkingMemorySession s = memory.createSession(project, context("k", "v"), HOUR);
        memory.createSession("acme", Map.of(), HOUR);

        assertThat(ids(memory.listActiveSessions(project))).containsExactly(s.sessionId());
        assertThat(memory.getSession(s.sessionId()).orElseThrow().projectId()).isEqualTo(project);
    }
}
