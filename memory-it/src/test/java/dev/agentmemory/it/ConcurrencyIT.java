package dev.agentmemory.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.api.ConflictException;
import dev.agentmemory.api.Evidence;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.api.WorkingMemory.UpdateMode;
import dev.agentmemory.api.WorkingMemorySession;
import dev.agentmemory.postgres.PostgresKnowledgeStore;
import dev.agentmemory.postgres.PostgresSchema;
import dev.agentmemory.postgres.PostgresWorkingMemory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many writers on one row, through a pool smaller than the number of threads: atomic evidence
 * updates lose no count, and optimistic concurrency on working memory loses no update.
 */
class ConcurrencyIT {

    private static final int THREADS = 50;

    private static HikariDataSource dataSource;

    @BeforeAll
    static void createSchema() {
        dataSource = TestDatabase.freshSchema(TestDatabase.schemaName(ConcurrencyIT.class), 10);
        PostgresSchema.migrate(dataSource, 16);
    }

    @AfterAll
    static void closePool() {
        dataSource.close();
    }

    @Test
    void fiftyThreadsRecordingApplicationsAtOnceLoseNoCount() throws Exception {
        PostgresKnowledgeStore store = new PostgresKnowledgeStore(dataSource, 16, 0.2, 5, Clock.systemUTC());
        UUID busy = store.storeStrategy(Strategy.builder("busy").build(), null);
        UUID other = store.storeStrategy(Strategy.builder("other").build(), null);
        List<Callable<Strategy>> tasks = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            boolean success = t % 5 != 0;
            UUID target = t % 10 == 9 ? other : busy;
            tasks.add(() -> store.recordApplication(target, UUID.randomUUID(), success));
        }

        List<Strategy> results = runAtOnce(tasks);

        Strategy after = store.getStrategy(busy).orElseThrow();
        int onBusy = THREADS - THREADS / 10;
        int busyFailures = THREADS / 5;
        assertThat(after.timesApplied()).isEqualTo(onBusy);
        assertThat(after.successCount()).isEqualTo(onBusy - busyFailures);
        assertThat(after.failureCount()).isEqualTo(busyFailures);
        assertThat(after.supportingEpisodes()).hasSize(onBusy - busyFailures).doesNotHaveDuplicates();
        assertThat(after.contradictingEpisodes()).hasSize(busyFailures).doesNotHaveDuplicates();
        assertThat(after.successRate()).isCloseTo((double) (onBusy - busyFailures) / onBusy, within(1e-12));
        assertThat(after.confidence()).isCloseTo(Evidence.confidence(onBusy - busyFailures, onBusy, 0.5), within(1e-12));
        assertThat(store.getStrategy(other).orElseThrow().timesApplied()).isEqualTo(THREADS / 10);
        // Each caller saw its own application: the counts it got back are all different.
        assertThat(results.stream().filter(s -> busy.equals(s.knowledgeId())).map(Strategy::timesApplied))
                .doesNotHaveDuplicates().hasSize(onBusy);
    }

    @Test
    void writersThatRetryOnConflictLoseNoUpdate() throws Exception {
        PostgresWorkingMemory memory = new PostgresWorkingMemory(dataSource);
        WorkingMemorySession session = memory.createSession("acme", Map.of("count", 0), Duration.ofHours(1));
        AtomicInteger conflicts = new AtomicInteger();
        List<Callable<WorkingMemorySession>> tasks = new ArrayList<>();
        for (int t = 0; t < 20; t++) {
            tasks.add(() -> {
                while (true) {
                    WorkingMemorySession read = memory.getSession(session.sessionId()).orElseThrow();
                    Map<String, Object> next = new HashMap<>(read.context());
                    next.put("count", ((Number) read.context().get("count")).intValue() + 1);
                    try {
                        return memory.updateSession(read.sessionId(), read.version(), next, UpdateMode.REPLACE);
                    } catch (ConflictException e) {
                        conflicts.incrementAndGet();
                    }
                }
            });
        }

        runAtOnce(tasks);

        WorkingMemorySession after = memory.getSession(session.sessionId()).orElseThrow();
        assertThat(after.context()).containsEntry("count", 20);
        assertThat(after.version()).isEqualTo(21);
    }

    @Test
    void ofTwoWritersAtTheSameVersionOneWinsAndTheOtherGetsAConflict() throws Exception {
        PostgresWorkingMemory memory = new PostgresWorkingMemory(dataSource);
        for (int round = 0; round < 10; round++) {
            WorkingMemorySession s = memory.createSession("acme", Map.of("round", round), Duration.ofHours(1));
            List<Callable<WorkingMemorySession>> writers = List.of(
                    () -> memory.updateSession(s.sessionId(), 1, Map.of("by", "left"), UpdateMode.MERGE),
                    () -> memory.updateSession(s.sessionId(), 1, Map.of("by", "right"), UpdateMode.MERGE));

            List<Object> outcomes = runAtOnceCatching(writers);

            assertThat(outcomes).filteredOn(o -> o instanceof WorkingMemorySession).hasSize(1);
            assertThat(outcomes).filteredOn(o -> o instanceof ConflictException).hasSize(1);
            WorkingMemorySession stored = memory.getSession(s.sessionId()).orElseThrow();
            assertThat(stored.version()).isEqualTo(2);
            assertThat(stored.context()).containsEntry("round", round).containsKey("by");
        }
    }

    private static <T> List<T> runAtOnce(List<Callable<T>> tasks) throws Exception {
        List<T> out = new ArrayList<>();
        for (Object o : runAtOnceCatching(tasks)) {
            if (o instanceof Throwable t) {
                throw new AssertionError("a task failed", t);
            }
            @SuppressWarnings("unchecked")
            T value = (T) o;
            out.add(value);
        }
        return out;
    }

    /** Runs the tasks from one start signal; each result is the value returned or the exception thrown. */
    private static List<Object> runAtOnceCatching(List<? extends Callable<?>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Callable<?> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<Object> out = new ArrayList<>();
            for (Future<?> f : futures) {
                try {
                    out.add(f.get(120, TimeUnit.SECONDS));
                } catch (java.util.concurrent.ExecutionException e) {
                    out.add(e.getCause());
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
