package dev.agentmemory.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.api.AgentMemoryStore;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.KnowledgeStore;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.api.spi.MemoryStores;
import dev.agentmemory.postgres.ReadReplicaStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Read-your-writes with reads on the real hot standby: a write followed at once by a read of it
 * never misses, from the thread that wrote or from another thread of the same stores, thousands of
 * times; and the standby did answer some of those reads (else the test would prove nothing).
 */
class ReplicaReadYourWritesIT {

    private static final String SCHEMA = TestDatabase.schemaName(ReplicaReadYourWritesIT.class);
    static final int DIMENSIONS = 16;
    private static HikariDataSource dataSource;
    private MemoryStores stores;

    @BeforeAll
    static void createSchema() throws Exception {
        LocalReplica.ensureUp();
        dataSource = TestDatabase.freshSchema(ReplicaReadYourWritesIT.class);
    }

    @AfterAll
    static void closePool() {
        dataSource.close();
    }

    @BeforeEach
    void open() {
        stores = LocalReplica.openStores(SCHEMA, DIMENSIONS, Map.of());
        TestDatabase.truncateAll(dataSource);
        LocalReplica.awaitReplayed();
    }

    @AfterEach
    void close() {
        stores.close();
    }

    @Test
    void aWriteReadAtOnceByTheThreadThatWroteItIsNeverMissed() throws Exception {
        readOwnWritesOnEachThread(stores, 1_250);
    }

    @Test
    void withThreadConsistencyAWriteReadAtOnceByTheThreadThatWroteItIsNeverMissed() throws Exception {
        try (MemoryStores threadStores = LocalReplica.openStores(SCHEMA, DIMENSIONS, Map.of("read.consistency", "thread"))) {
            readOwnWritesOnEachThread(threadStores, 1_250);
        }
    }

    private static void readOwnWritesOnEachThread(MemoryStores stores, int perThread) throws Exception {
        int threads = 4;
        AtomicLong misses = new AtomicLong();
        List<String> examples = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                AgentMemoryStore episodes = stores.episodes();
                KnowledgeStore knowledge = stores.knowledge().orElseThrow();
                Random random = new Random(thread);
                String project = "ryw-" + thread;
                for (int i = 0; i < perThread; i++) {
                    float[] v = vector(random);
                    UUID id = episodes.storeEpisode(episode(project, i), v);
                    if (episodes.getEpisodeById(id).isEmpty()) {
                        miss(misses, examples, "get after store", i);
                    }
                    if (episodes.findSimilarEpisodes(v, project, 3, 0.0).stream().noneMatch(e -> id.equals(e.episodeId()))) {
                        miss(misses, examples, "search after store", i);
                    }
                    episodes.updateEpisodeOutcome(id, Map.of("ok", true), 0.75);
                    Optional<Episode> after = episodes.getEpisodeById(id);
                    if (after.isEmpty() || after.get().outcomeQuality() == null) {
                        miss(misses, examples, "get after outcome", i);
                    }
                    if (i % 10 == 0) {
                        UUID k = knowledge.storeStrategy(Strategy.builder("ryw " + thread + " " + i).content(Map.of("advice", "wait")).build(), null);
                        if (knowledge.getStrategy(k).isEmpty()) {
                            miss(misses, examples, "strategy after store", i);
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(10, TimeUnit.MINUTES);
        }
        pool.shutdown();
        ReadReplicaStats stats = LocalReplica.stats(stores);
        assertThat(misses.get()).as("reads that missed the reader's own write, e.g. %s", examples).isZero();
        assertThat(stores.episodes().countEpisodes(null)).isEqualTo((long) threads * perThread);
        System.out.printf("read-your-writes, %d threads x %d: %d misses, %s%n", threads, perThread, misses.get(), stats);
        assertThat(stats.standbyReads()).as("reads the standby answered: %s", stats).isPositive();
    }

    @Test
    void aWriteReadAtOnceByAnotherThreadOfTheSameStoresIsNeverMissed() throws Exception {
        int rounds = 2_000;
        SynchronousQueue<UUID> handOff = new SynchronousQueue<>();
        AtomicLong misses = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Future<?> writer = pool.submit(() -> {
            Random random = new Random(7);
            for (int i = 0; i < rounds; i++) {
                handOff.put(stores.episodes().storeEpisode(episode("ryw-handoff", i), vector(random)));
            }
            return null;
        });
        Future<?> reader = pool.submit(() -> {
            for (int i = 0; i < rounds; i++) {
                UUID id = handOff.take();
                if (stores.episodes().getEpisodeById(id).isEmpty()) {
                    misses.incrementAndGet();
                }
            }
            return null;
        });
        writer.get(5, TimeUnit.MINUTES);
        reader.get(5, TimeUnit.MINUTES);
        pool.shutdown();
        ReadReplicaStats stats = LocalReplica.stats(stores);
        assertThat(misses.get()).as("reads on another thread that missed a write handed to them").isZero();
        assertThat(stats.standbyReads()).as("reads the standby answered: %s", stats).isPositive();
    }

    private static void miss(AtomicLong misses, List<String> examples, String what, int i) {
        misses.incrementAndGet();
        if (examples.size() < 5) {
            examples.add(what + " #" + i);
        }
    }

    static Episode episode(String project, int i) {
        return Episode.builder(project).perception(Map.of("i", i)).reasoning(Map.of("rule", "test"))
                .action(Map.of("done", true)).build();
    }

    static float[] vector(Random random) {
        float[] v = new float[DIMENSIONS];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextFloat() * 2 - 1;
        }
        return v;
    }
}
