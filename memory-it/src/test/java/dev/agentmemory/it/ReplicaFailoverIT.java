package dev.agentmemory.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.api.AgentMemoryStore;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.spi.MemoryStores;
import dev.agentmemory.postgres.PostgresSchema;
import dev.agentmemory.postgres.ReadReplicaStats;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fault tests of reads on replicas, on the real standby: it is stopped and started, and its
 * replay paused and resumed, while the stores read and write; callers see no error beyond the
 * retry deadline and never miss their own writes, and reads go back to the standby once it is
 * well. Stopping the standby needs root and pg_ctlcluster: without them the test fails, saying so.
 */
class ReplicaFailoverIT {

    private static final String SCHEMA = TestDatabase.schemaName(ReplicaFailoverIT.class);
    private static final int THREADS = 16;
    private static final int OPERATIONS = 10_000;
    private static HikariDataSource dataSource;

    @BeforeAll
    static void createSchema() throws Exception {
        LocalReplica.assertControllable();
        LocalReplica.ensureUp();
        dataSource = TestDatabase.freshSchema(ReplicaFailoverIT.class);
        PostgresSchema.migrate(dataSource, ReplicaReadYourWritesIT.DIMENSIONS);
    }

    @AfterAll
    static void restoreStandby() throws Exception {
        try {
            LocalReplica.ensureUp();
        } finally {
            dataSource.close();
        }
    }

    @BeforeEach
    void empty() {
        TestDatabase.truncateAll(dataSource);
        LocalReplica.awaitReplayed();
    }

    @Test
    void aStandbyStoppedAndStartedDuringTenThousandReadsAndWritesFromSixteenThreadsCostsNoErrorAndNoStaleRead()
            throws Exception {
        try (MemoryStores stores = LocalReplica.openStores(SCHEMA, ReplicaReadYourWritesIT.DIMENSIONS,
                Map.of("read.check-interval", "100ms", "read.max-lag", "2s"))) {
            Load load = new Load(stores, "failover");
            load.start();
            // Some load on the well standby first, then the fault while the load runs.
            load.awaitOperations(2_000);
            ReadReplicaStats before = LocalReplica.stats(stores);
            LocalReplica.stop();
            LocalReplica.awaitStats(stores, "dropped", 30, s -> s.healthyStandbys() == 0);
            long duringFrom = load.operations.get();
            // The load goes on on the primary alone for a while.
            load.awaitOperations(duringFrom + 1_000);
            LocalReplica.start();
            ReadReplicaStats back = LocalReplica.awaitStats(stores, "back in reads", 60, s -> s.healthyStandbys() == 1);
            load.awaitOperations(Math.max(OPERATIONS, load.operations.get() + 1_000));
            load.stop();
            ReadReplicaStats after = LocalReplica.stats(stores);
            System.out.printf("standby stopped and started: %d operations (%d writes), %d errors, %d stale reads; %s%n",
                    load.operations.get(), load.writes.get(), load.errors.get(), load.stale.get(), after);

            assertThat(load.errors.get()).as("errors callers saw, e.g. %s", load.examples).isZero();
            assertThat(load.stale.get()).as("reads that missed the reader's own write, e.g. %s", load.examples).isZero();
            assertThat(load.operations.get()).isGreaterThanOrEqualTo(OPERATIONS);
            assertThat(before.standbyReads()).as("the standby answered before it stopped: %s", before).isPositive();
            assertThat(after.standbyReads()).as("the standby answered again after it came back (%s, then %s)", back, after)
                    .isGreaterThan(back.standbyReads());
            assertThat(stores.episodes().countEpisodes(null)).isEqualTo(load.writes.get());
        }
    }

    @Test
    void aStandbyWhoseReplayIsPausedIsDroppedFromReadsAndTakenBackWhenItCatchesUp() throws Exception {
        try (MemoryStores stores = LocalReplica.openStores(SCHEMA, ReplicaReadYourWritesIT.DIMENSIONS,
                Map.of("read.check-interval", "100ms", "read.max-lag", "1s"))) {
            Load load = new Load(stores, "lag");
            load.start();
            try {
                load.awaitOperations(500);
                LocalReplica.pauseReplay();
                // Real lag: the primary goes on writing, the standby stands still, and it is dropped
                // once it is 1 s behind.
                ReadReplicaStats dropped = LocalReplica.awaitStats(stores, "dropped for lag", 30,
                        s -> s.healthyStandbys() == 0);
                assertThat(dropped.worstLag()).isGreaterThan(java.time.Duration.ofSeconds(1));
                long onStandbyWhileDropped = dropped.standbyReads();
                long from = load.operations.get();
                load.awaitOperations(from + 1_000);
                ReadReplicaStats stillDropped = LocalReplica.stats(stores);
                assertThat(stillDropped.standbyReads()).as("reads on the lagging standby while it was dropped")
                        .isEqualTo(onStandbyWhileDropped);
                assertThat(stillDropped.primaryReads()).isGreaterThan(dropped.primaryReads());
                LocalReplica.resumeReplay();
                ReadReplicaStats back = LocalReplica.awaitStats(stores, "back in reads", 30, s -> s.healthyStandbys() == 1);
                load.awaitOperations(load.operations.get() + 1_000);
                load.stop();
                assertThat(LocalReplica.stats(stores).standbyReads()).as("reads on the standby after it caught up")
                        .isGreaterThan(back.standbyReads());
            } finally {
                load.stop();
                LocalReplica.resumeReplay();
            }
            System.out.printf("standby replay paused and resumed: %d operations, %d errors, %d stale reads; %s%n",
                    load.operations.get(), load.errors.get(), load.stale.get(), LocalReplica.stats(stores));
            assertThat(load.errors.get()).as("errors callers saw, e.g. %s", load.examples).isZero();
            assertThat(load.stale.get()).as("reads that missed the reader's own write, e.g. %s", load.examples).isZero();
        }
    }

    /**
     * Sixteen threads, each writing an episode and reading it back at once (by id, and by a search
     * for its vector), and counting its project's episodes against what it wrote: every call that
     * throws is an error, every read without the thread's own write a stale read.
     */
    private static final class Load {
        final AtomicLong operations = new AtomicLong();
        final AtomicLong writes = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong stale = new AtomicLong();
        final List<String> examples = Collections.synchronizedList(new ArrayList<>());
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final MemoryStores stores;
        private final String name;
        private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        private final List<Future<?>> threads = new ArrayList<>();

        Load(MemoryStores stores, String name) {
            this.stores = stores;
            this.name = name;
        }

        void start() {
            CountDownLatch ready = new CountDownLatch(THREADS);
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                threads.add(pool.submit(() -> run(thread, ready)));
            }
        }

        private void run(int thread, CountDownLatch ready) {
            AgentMemoryStore episodes = stores.episodes();
            Random random = new Random(thread);
            String project = name + "-" + thread;
            long mine = 0;
            ready.countDown();
            for (int i = 0; running.get(); i++) {
                try {
                    float[] v = ReplicaReadYourWritesIT.vector(random);
                    Episode e = ReplicaReadYourWritesIT.episode(project, i);
                    UUID id = episodes.storeEpisode(e, v);
                    mine++;
                    writes.incrementAndGet();
                    operations.incrementAndGet();
                    if (episodes.getEpisodeById(id).isEmpty()) {
                        stale(thread + ": get of #" + i);
                    }
                    operations.incrementAndGet();
                    if (episodes.findSimilarEpisodes(v, project, 3, 0.0).stream().noneMatch(x -> id.equals(x.episodeId()))) {
                        stale(thread + ": search for #" + i);
                    }
                    operations.incrementAndGet();
                    if (i % 5 == 0) {
                        long counted = episodes.countEpisodes(project);
                        if (counted < mine) {
                            stale(thread + ": count " + counted + " < " + mine);
                        }
                        operations.incrementAndGet();
                    }
                } catch (RuntimeException ex) {
                    errors.incrementAndGet();
                    if (examples.size() < 10) {
                        examples.add(thread + ": " + ex);
                    }
                }
            }
        }

        private void stale(String what) {
            stale.incrementAndGet();
            if (examples.size() < 10) {
                examples.add("stale " + what);
            }
        }

        void awaitOperations(long n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (operations.get() < n) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the load did only " + operations.get() + " of " + n + " operations in 5 minutes");
                }
                Thread.sleep(20);
            }
        }

        void stop() throws Exception {
            running.set(false);
            for (Future<?> f : threads) {
                f.get(2, TimeUnit.MINUTES);
            }
            pool.shutdown();
        }
    }
}
