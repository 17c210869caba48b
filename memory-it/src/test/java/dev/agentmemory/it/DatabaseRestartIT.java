package dev.agentmemory.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agentmemory.api.Episode;
import dev.agentmemory.api.MemoryException;
import dev.agentmemory.core.AgentMemory;
import dev.agentmemory.core.AgentMemorySystem;
import dev.agentmemory.postgres.PostgresStoreProvider;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * PostgreSQL restarts (fast shutdown: every session is ended) while eight threads remember 1,000
 * decisions through the pool the postgres provider opens: every write that returned an id is
 * stored exactly once, every write that did not threw a {@link MemoryException}, and the pool
 * recovers on its own. The cluster and pgbouncer are brought back in {@code finally}, whatever
 * happens.
 */
class DatabaseRestartIT {

    private static final int THREADS = 8;
    private static final int WRITES = 1_000;
    private static final int RESTART_AFTER = 250;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void restartingPostgresDuringAThousandWritesLosesAndDuplicatesNothing() throws Exception {
        assumeTrue(LocalPostgres.controllable(), "restarting PostgreSQL needs root and pg_ctlcluster");
        String schema = TestDatabase.schemaName(DatabaseRestartIT.class);
        TestDatabase.freshSchema(schema, 1).close();
        String url = TestDatabase.urlWithSchema(TestDatabase.JDBC_URL, schema);

        AtomicReferenceArray<Object> results = new AtomicReferenceArray<>(WRITES);
        AtomicInteger succeeded = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        CountDownLatch restartNow = new CountDownLatch(1);
        ExecutorService writers = Executors.newFixedThreadPool(THREADS + 1);
        String restartOutput;
        try (AgentMemorySystem memory = AgentMemory.builder().store("postgres").jdbcUrl(url)
                .username(TestDatabase.USER).password(TestDatabase.PASSWORD).migrate(true)
                .storeProperty(PostgresStoreProvider.POOL_SIZE, Integer.toString(THREADS))
                .build()) {
            memory.embedder().embed("warm up the local model before the clock matters");
            Future<String> restart = writers.submit(() -> {
                restartNow.await();
                return LocalPostgres.restart();
            });
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                runs.add(writers.submit(() -> {
                    for (int n = next.getAndIncrement(); n < WRITES; n = next.getAndIncrement()) {
                        try {
                            results.set(n, memory.rememberDecision(decision(n)));
                            if (succeeded.incrementAndGet() == RESTART_AFTER) {
                                restartNow.countDown();
                            }
                        } catch (RuntimeException e) {
                            results.set(n, e);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get(4, TimeUnit.MINUTES);
            }
            restartNow.countDown();
            restartOutput = restart.get(2, TimeUnit.MINUTES);
            // The pool recovered on its own: the same memory works after the restart.
            assertThat(memory.episodes().countEpisodes("restart")).isPositive();
        } finally {
            writers.shutdownNow();
            LocalPostgres.ensureUp();
        }

        Map<Integer, Integer> copies = new HashMap<>();
        Map<UUID, Integer> rowsById = new HashMap<>();
        try (Connection c = DriverManager.getConnection(url, TestDatabase.USER, TestDatabase.PASSWORD);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT episode_id, (perception->>'write')::int FROM agent_episodes")) {
            while (rs.next()) {
                rowsById.merge(rs.getObject(1, UUID.class), 1, Integer::sum);
                copies.merge(rs.getInt(2), 1, Integer::sum);
            }
        }
        int ok = 0;
        int failed = 0;
        int lost = 0;
        int failedButStored = 0;
        List<Object> notSaidProperly = new ArrayList<>();
        for (int n = 0; n < WRITES; n++) {
            Object r = results.get(n);
            if (r instanceof UUID id) {
                ok++;
                if (!rowsById.containsKey(id)) {
                    lost++;
                }
            } else {
                failed++;
                if (!(r instanceof MemoryException)) {
                    notSaidProperly.add(r);
                }
                if (copies.containsKey(n)) {
                    failedButStored++;
                }
            }
        }
        long duplicated = copies.values().stream().filter(c -> c > 1).count();
        System.out.printf("database restart: %d writes attempted, %d succeeded, %d failed with a MemoryException"
                        + " (%d of them stored all the same), %d stored rows, %d lost, %d duplicated%n",
                WRITES, ok, failed, failedButStored, rowsById.size(), lost, duplicated);

        assertThat(restartOutput).as("pg_ctlcluster output").doesNotContain("error");
        assertThat(notSaidProperly).as("failures that were not a MemoryException").isEmpty();
        assertThat(lost).as("writes that returned an id and are not stored").isZero();
        assertThat(duplicated).as("writes stored more than once").isZero();
        assertThat(ok + failed).isEqualTo(WRITES);
        assertThat(rowsById.size()).isEqualTo(ok + failedButStored);
        assertThat(LocalPostgres.answersWithin(TestDatabase.PGBOUNCER_JDBC_URL, 30))
                .as("pgbouncer serves queries after the restart").isTrue();
    }

    private static Episode decision(int n) {
        return Episode.builder("restart")
                .perception(Map.of("write", n, "backlog_tasks", 3 + n % 30, "team_size", 2 + n % 5))
                .reasoning(Map.of("summary", "write " + n + " of the restart run"))
                .action(Map.of("sprint_created", n % 2 == 0, "tasks_assigned", n % 9))
                .build();
    }
}
