package dev.agentmemory.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.api.Episode;
import dev.agentmemory.core.AgentMemory;
import dev.agentmemory.core.AgentMemorySystem;
import dev.agentmemory.core.MemorySettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/**
 * 5. Concurrent agents, each a thread that loops over a mix of operations on one shared memory
 * system with the local model: 40% {@code rememberDecision}, 50% {@code recallSimilarSituations}
 * (its own project, limit 5), 10% {@code recordOutcome} of a decision it remembered. Operations
 * per second and the latency percentiles over all operations, at each agent count; each level with
 * the memory system's default BatchingEmbedder and, beside it, without ({@code .nobatch} rows), so
 * that the report shows what sharing one model call among concurrent agents buys.
 */
final class ConcurrencyScenario {

    static final String GROUP = "5. concurrency";
    static final int POOL_SIZE = 10;
    static final int SEEDS = 5_000;

    private ConcurrencyScenario() {
    }

    /** Issue 16's baseline for 64 agents on PostgreSQL: 291 to 398 ops/s; the target is twice its best. */
    static final double ISSUE16_BASELINE_OPS = 398;
    static final double ISSUE16_P99_MS = 300;

    static void run(Run run) throws Exception {
        // Every level twice, side by side: with the BatchingEmbedder the memory system puts in
        // front of its embedder (the default: concurrent single-text embeddings share one batch
        // call) and without it (embeddingBatchLimit 0: each agent runs the model for its text).
        MemorySettings batching = MemorySettings.ofDefaults();
        MemorySettings alone = MemorySettings.from(batching).embeddingBatchLimit(0).build();
        try (AgentMemorySystem memory = AgentMemory.builder().embedder(run.model()).settings(batching).build();
             AgentMemorySystem nobatch = AgentMemory.builder().embedder(run.model()).settings(alone).build()) {
            levels(run, null, memory, nobatch, "in memory", "inmemory");
        }
        if (run.pg != null) {
            String schema = run.pg.schema("agents");
            String schemaAlone = run.pg.schema("agents_nobatch");
            try (HikariDataSource pool = run.pg.pool(schema, POOL_SIZE);
                 HikariDataSource poolAlone = run.pg.pool(schemaAlone, POOL_SIZE);
                 AgentMemorySystem memory = AgentMemory.builder().store("postgres").dataSource(pool)
                         .embedder(run.model()).settings(batching).migrate(true).build();
                 AgentMemorySystem nobatch = AgentMemory.builder().store("postgres").dataSource(poolAlone)
                         .embedder(run.model()).settings(alone).migrate(true).build()) {
                levels(run, run.pg, memory, nobatch, "PostgreSQL (pool of " + POOL_SIZE + ")", "postgres");
            } finally {
                run.pg.drop(schema);
                run.pg.drop(schemaAlone);
            }
        }
    }

    private static void levels(Run run, @Nullable Postgres pg, AgentMemorySystem memory, AgentMemorySystem nobatch,
                               String where, String key) throws Exception {
        BenchConfig c = run.config;
        List<UUID> seeded = seed(run, memory);
        List<UUID> seededAlone = seed(run, nobatch);
        for (int agents : c.agents()) {
            for (boolean batched : new boolean[] {true, false}) {
                String id = "agents." + key + "." + agents + (batched ? "" : ".nobatch");
                Result.Builder r = Result.builder(id, GROUP, agents + " concurrent agents, " + where
                        + (batched ? "" : ", without batching (each agent's text embedded alone)"));
                Map<Integer, Long> server0 = pg == null ? Map.of() : pg.backendTicks();
                long cpu0 = IngestScenario.processCpuNanos();
                Level level = level(batched ? memory : nobatch, agents, batched ? seeded : seededAlone, warmup(c),
                        c.levelSeconds(), c.projects());
                double jvm = (IngestScenario.processCpuNanos() - cpu0) / 1e9;
                double server = pg == null ? 0 : Postgres.cpuSeconds(server0, pg.backendTicks());
                r.latency(level.all.summary())
                        .metric("ops_per_s", level.ops / level.seconds)
                        .metric("remember_p99_ms", level.remember.summary().p99())
                        .metric("recall_p99_ms", level.recall.summary().p99())
                        .metric("outcome_p99_ms", level.outcome.summary().p99())
                        .metric("agents", agents)
                        // CPU over the whole level (warm-up too) by every operation in it: the CPU an
                        // operation costs, from which the cores give the most operations a second.
                        .metric("jvm_cpu_s", jvm).metric("server_cpu_s", server)
                        .metric("level_ops", level.allOps)
                        .metric("cpu_ms_per_op", level.allOps == 0 ? Double.NaN : 1000 * (jvm + server) / level.allOps)
                        .metric("embeddings_per_op", EMBEDDINGS_PER_OP)
                        .headline(Fmt.rate(level.ops / level.seconds, "ops") + " · p99 " + Fmt.ms(level.all.summary().p99()))
                        .notes("40% remember, 50% recall, 10% outcome, over " + seeded.size() + " stored episodes at the "
                                + "start; " + c.levelSeconds() + " s measured after " + warmup(c) + " s warm-up; "
                                + (batched ? "concurrent embeddings share one batch call (BatchingEmbedder, "
                                        + "embeddingBatchLimit " + MemorySettings.ofDefaults().embeddingBatchLimit()
                                        + ", the default)" : "embeddingBatchLimit 0: every agent runs the model alone")
                                + "; p99 by operation: remember " + Fmt.num(level.remember.summary().p99()) + ", recall "
                                + Fmt.num(level.recall.summary().p99()) + ", outcome "
                                + Fmt.num(level.outcome.summary().p99()) + " ms");
                if (batched && agents == 64 && pg != null) {
                    // Issue 16: 64 agents on PostgreSQL, 2 x the throughput (291 to 398 ops/s) at p99 <= 300 ms.
                    r.atLeast("ops_per_s", 2 * ISSUE16_BASELINE_OPS, "ops/s", "≥ 2 × 398 = 796 ops/s")
                            .atMost("p99_ms", ISSUE16_P99_MS, "ms", "p99 ≤ 300 ms");
                }
                run.add(r.build());
            }
        }
    }

    /** Remember embeds the episode, recall the new situation, outcome nothing: 0.4 + 0.5 texts an operation. */
    static final double EMBEDDINGS_PER_OP = 0.9;

    // The memory starts with episodes to recall: synthetic ones, stored with their vectors, so
    // that seeding costs no embedding time.
    private static List<UUID> seed(Run run, AgentMemorySystem memory) {
        BenchConfig c = run.config;
        List<UUID> seeded = new CopyOnWriteArrayList<>();
        int seeds = Math.min(SEEDS, c.heapEpisodes());
        VectorSet data = run.vectors(seeds);
        for (int from = 0; from < seeds; from += c.batchSize()) {
            List<Episode> episodes = new ArrayList<>();
            List<float[]> vectors = new ArrayList<>();
            for (int i = from; i < Math.min(seeds, from + c.batchSize()); i++) {
                episodes.add(run.syntheticEpisode(i));
                vectors.add(data.vector(i));
            }
            seeded.addAll(memory.episodes().storeEpisodes(episodes, vectors));
        }
        return seeded;
    }

    private static int warmup(BenchConfig c) {
        return c.levelSeconds() >= 3 ? 1 : 0;
    }

    private static final class Level {
        final Latency all = new Latency();
        final Latency remember = new Latency();
        final Latency recall = new Latency();
        final Latency outcome = new Latency();
        long ops;
        long allOps;
        double seconds;
    }

    private static Level level(AgentMemorySystem memory, int agents, List<UUID> seeded, int warmupSeconds,
                               int seconds, int projects) throws InterruptedException {
        long measureFrom = System.nanoTime() + warmupSeconds * 1_000_000_000L;
        long until = measureFrom + seconds * 1_000_000_000L;
        List<Level> perThread = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(agents);
        for (int a = 0; a < agents; a++) {
            Level mine = new Level();
            perThread.add(mine);
            int agent = a;
            Thread t = new Thread(() -> {
                Random random = new Random(1000 + agent);
                String project = Workload.project(agent % projects);
                List<UUID> own = new ArrayList<>();
                try {
                    while (true) {
                        long start = System.nanoTime();
                        if (start >= until) {
                            break;
                        }
                        int dice = random.nextInt(100);
                        Latency kind;
                        if (dice < 40) {
                            own.add(memory.rememberDecision(Workload.episode(project, random)));
                            kind = mine.remember;
                        } else if (dice < 90) {
                            memory.recallSimilarSituations(Workload.situation(random), project, 5);
                            kind = mine.recall;
                        } else {
                            UUID id = own.isEmpty() ? seeded.get(random.nextInt(seeded.size())) : own.get(random.nextInt(own.size()));
                            memory.recordOutcome(id, Workload.outcome(random), random.nextDouble());
                            kind = mine.outcome;
                        }
                        long d = System.nanoTime() - start;
                        mine.allOps++;
                        if (start >= measureFrom) {
                            kind.record(d);
                            mine.all.record(d);
                            mine.ops++;
                        }
                    }
                } catch (RuntimeException e) {
                    failures.add(e);
                } finally {
                    done.countDown();
                }
            }, "agent-" + a);
            t.setDaemon(true);
            t.start();
        }
        done.await();
        if (!failures.isEmpty()) {
            throw new IllegalStateException(failures.size() + " agents failed; first: " + failures.get(0), failures.get(0));
        }
        Level total = new Level();
        for (Level l : perThread) {
            total.all.merge(l.all);
            total.remember.merge(l.remember);
            total.recall.merge(l.recall);
            total.outcome.merge(l.outcome);
            total.ops += l.ops;
            total.allOps += l.allOps;
        }
        total.seconds = seconds;
        return total;
    }
}
