package dev.agentmemory.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.api.Episode;
import dev.agentmemory.core.AgentMemory;
import dev.agentmemory.core.AgentMemorySystem;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * 5. Concurrent agents, each a thread that loops over a mix of operations on one shared memory
 * system with the local model: 40% {@code rememberDecision}, 50% {@code recallSimilarSituations}
 * (its own project, limit 5), 10% {@code recordOutcome} of a decision it remembered. Operations
 * per second and the latency percentiles over all operations, at each agent count.
 */
final class ConcurrencyScenario {

    static final String GROUP = "5. concurrency";
    static final int POOL_SIZE = 10;
    static final int SEEDS = 5_000;

    private ConcurrencyScenario() {
    }

    static void run(Run run) throws Exception {
        try (AgentMemorySystem memory = AgentMemory.builder().embedder(run.model()).build()) {
            levels(run, memory, "in memory", "inmemory");
        }
        if (run.pg != null) {
            String schema = run.pg.schema("agents");
            try (HikariDataSource pool = run.pg.pool(schema, POOL_SIZE);
                 AgentMemorySystem memory = AgentMemory.builder().store("postgres").dataSource(pool)
                         .embedder(run.model()).migrate(true).build()) {
                levels(run, memory, "PostgreSQL (pool of " + POOL_SIZE + ")", "postgres");
            } finally {
                run.pg.drop(schema);
            }
        }
    }

    private static void levels(Run run, AgentMemorySystem memory, String where, String key) throws Exception {
        BenchConfig c = run.config;
        // The memory starts with episodes to recall: synthetic ones, stored with their vectors, so
        // that seeding costs no embedding time.
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
        for (int agents : c.agents()) {
            Result.Builder r = Result.builder("agents." + key + "." + agents, GROUP,
                    agents + " concurrent agents, " + where);
            Level level = level(memory, agents, seeded, warmup(c), c.levelSeconds(), c.projects());
            r.latency(level.all.summary())
                    .metric("ops_per_s", level.ops / level.seconds)
                    .metric("remember_p99_ms", level.remember.summary().p99())
                    .metric("recall_p99_ms", level.recall.summary().p99())
                    .metric("outcome_p99_ms", level.outcome.summary().p99())
                    .headline(Fmt.rate(level.ops / level.seconds, "ops") + " · p99 " + Fmt.ms(level.all.summary().p99()))
                    .notes("40% remember, 50% recall, 10% outcome, over " + seeded.size() + " stored episodes at the start; " + c.levelSeconds() + " s measured after " + warmup(c) + " s warm-up; "
                            + "p99 by operation: remember " + Fmt.num(level.remember.summary().p99()) + ", recall "
                            + Fmt.num(level.recall.summary().p99()) + ", outcome " + Fmt.num(level.outcome.summary().p99())
                            + " ms");
            run.add(r.build());
        }
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
        }
        total.seconds = seconds;
        return total;
    }
}
