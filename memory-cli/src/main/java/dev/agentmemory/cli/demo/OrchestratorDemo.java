package dev.agentmemory.cli.demo;

import dev.agentmemory.api.Episode;
import dev.agentmemory.api.KnowledgeStore;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.api.StrategyQuery;
import dev.agentmemory.core.AgentMemorySystem;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.IntConsumer;

/**
 * The demo's orchestrator: each sprint of each project it perceives the situation, recalls similar
 * past situations, consults learned strategies, decides whether to start a sprint and how many
 * tasks to assign, remembers the decision, and records the outcome when the sprint ends. Every
 * few sprints it reflects on what memory holds and writes down strategies; their confidence then
 * follows the evidence of the episodes that apply them.
 *
 * <p>Deterministic for a seed: the world, the exploration, the episode and strategy ids and the
 * timestamps all come from it. Only the timings differ between runs.
 */
public final class OrchestratorDemo {

    /** How often, in sprints, the orchestrator reflects on its memory. */
    static final int REFLECT_EVERY = 5;
    /** How often the orchestrator tries something other than what memory suggests. */
    static final double EXPLORATION = 0.1;

    private final AgentMemorySystem memory;
    private final int projects;
    private final int sprints;
    private final long seed;
    private final Random random;
    private final ScrumWorld world;
    private final Instant start = Instant.parse("2026-01-05T09:00:00Z");
    private int ids;

    private final List<Double> rememberMillis = new ArrayList<>();
    private final List<Double> recallMillis = new ArrayList<>();
    private final double[] qualityBySprint;
    private final int[] decisionsBySprint;
    private final Map<String, Strategy> learned = new LinkedHashMap<>();
    private Map<String, Object> exampleContext;
    private List<Episode> exampleRecall = List.of();
    private String exampleProject = "";

    /**
     * @param memory the memory to use; the demo needs a knowledge store
     * @param projects how many projects to simulate
     * @param sprints how many sprints per project
     * @param seed the seed of everything random
     */
    public OrchestratorDemo(AgentMemorySystem memory, int projects, int sprints, long seed) {
        this.memory = memory;
        this.projects = projects;
        this.sprints = sprints;
        this.seed = seed;
        this.random = new Random(seed);
        this.world = new ScrumWorld(projects, random);
        this.qualityBySprint = new double[sprints];
        this.decisionsBySprint = new int[sprints];
    }

    /**
     * Runs the simulation.
     *
     * @param progress told the number of decisions taken so far after each one
     * @return the report to print
     */
    public Report run(IntConsumer progress) {
        long t0 = System.nanoTime();
        int done = 0;
        for (int sprint = 1; sprint <= sprints; sprint++) {
            for (int p = 0; p < world.projectCount(); p++) {
                cycle(world.project(p), sprint);
                progress.accept(++done);
            }
            if (sprint % REFLECT_EVERY == 0) {
                reflect();
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Report(this, seconds);
    }

    private void cycle(ScrumWorld.Project project, int sprint) {
        Map<String, Object> context = world.perceive(project, sprint);

        long r0 = System.nanoTime();
        List<Episode> similar = memory.recallSimilarSituations(context, project.id, 8);
        recallMillis.add((System.nanoTime() - r0) / 1e6);
        // A low bar: a new strategy's confidence dips after its first application (one success is
        // little evidence); strategies that keep failing are deactivated by the knowledge store.
        List<Strategy> strategies = memory.getLearnedStrategies(context, 0.1);

        Decision decision = decide(project, context, similar, strategies);
        Map<String, Object> action = new LinkedHashMap<>();
        action.put("sprint_created", decision.createSprint);
        action.put("tasks_assigned", decision.createSprint ? decision.tasks : 0);
        if (decision.strategy != null) {
            action.put("applied_strategies", List.of(decision.strategy.toString()));
        }
        Episode episode = Episode.builder(project.id)
                .episodeId(nextId())
                .timestamp(start.plus(Duration.ofDays(14L * (sprint - 1))).plusSeconds(ids))
                .perception(context)
                .reasoning(Map.of("summary", decision.why, "similar_situations", similar.size()))
                .action(action)
                .sprintId(project.id + "-sprint-" + sprint)
                .decisionSource(decision.source)
                .build();
        long m0 = System.nanoTime();
        UUID id = memory.rememberDecision(episode);
        rememberMillis.add((System.nanoTime() - m0) / 1e6);

        ScrumWorld.Outcome outcome = world.play(project, decision.createSprint, decision.tasks);
        memory.recordOutcome(id, outcome.outcome(), outcome.quality());
        qualityBySprint[sprint - 1] += outcome.quality();
        decisionsBySprint[sprint - 1]++;

        if (sprint == sprints && project == world.project(0)) {
            exampleContext = context;
            exampleProject = project.id;
            exampleRecall = similar;
        }
    }

    private record Decision(boolean createSprint, int tasks, String why, String source, UUID strategy) {
    }

    private Decision decide(ScrumWorld.Project project, Map<String, Object> context, List<Episode> similar,
                            List<Strategy> strategies) {
        int backlog = (int) context.get("backlog_tasks");
        double capacity = project.teamSize * project.velocity;
        boolean explore = random.nextDouble() < EXPLORATION;
        if (!explore && !strategies.isEmpty()) {
            Strategy s = strategies.get(0);
            Map<?, ?> rec = (Map<?, ?>) s.content().get("recommendation");
            boolean create = Boolean.TRUE.equals(rec.get("sprint_created"));
            double load = rec.get("load_factor") instanceof Number n ? n.doubleValue() : 1.0;
            int tasks = create ? Math.max(1, Math.min(backlog, (int) Math.round(load * capacity))) : 0;
            return new Decision(create, tasks, "strategy: " + s.description(), "strategy", s.knowledgeId());
        }
        if (!explore) {
            Episode best = null;
            for (Episode e : similar) {
                if (e.outcomeQuality() != null && (best == null || e.outcomeQuality() > best.outcomeQuality())) {
                    best = e;
                }
            }
            if (best != null && best.outcomeQuality() >= 0.5) {
                boolean create = Boolean.TRUE.equals(best.action().get("sprint_created"));
                double load = ratio(best);
                int tasks = create ? Math.max(1, Math.min(backlog, (int) Math.round(load * capacity))) : 0;
                return new Decision(create, tasks, String.format(Locale.ROOT,
                        "a similar situation (%.2f) went well (%.2f) with this", best.similarity(), best.outcomeQuality()),
                        "memory", null);
            }
        }
        // The orchestrator's rule of thumb, which ignores who is actually available.
        boolean create = backlog >= 5;
        double load = 0.7 + random.nextDouble() * 0.8;
        int tasks = create ? Math.max(1, Math.min(backlog, (int) Math.round(load * capacity))) : 0;
        return new Decision(create, tasks, explore ? "exploring" : "rule of thumb: backlog of " + backlog,
                "rule_based_only", null);
    }

    // How many tasks the episode assigned per task the team could do at full availability.
    private static double ratio(Episode e) {
        Object assigned = e.action().get("tasks_assigned");
        double capacity = ((Number) e.perception().get("team_size")).doubleValue()
                * ((Number) e.perception().get("velocity")).doubleValue();
        return assigned instanceof Number n ? n.doubleValue() / capacity : 1.0;
    }

    // Looks at every outcome so far, by team availability, and writes down what it teaches.
    private void reflect() {
        Map<String, List<Episode>> started = new HashMap<>();
        for (int p = 0; p < world.projectCount(); p++) {
            for (Episode e : memory.episodes().getEpisodesByProject(world.project(p).id, 1000, null)) {
                if (e.hasOutcome() && Boolean.TRUE.equals(e.action().get("sprint_created"))) {
                    started.computeIfAbsent((String) e.perception().get("team_availability"), k -> new ArrayList<>()).add(e);
                }
            }
        }
        for (String availability : ScrumWorld.AVAILABILITY) {
            List<Episode> runs = started.getOrDefault(availability, List.of());
            if (runs.size() < 4 || learned.containsKey(availability)) {
                continue;
            }
            double mean = runs.stream().mapToDouble(Episode::outcomeQuality).average().orElse(0);
            Strategy strategy;
            if (mean < 0.35) {
                strategy = Strategy.builder(String.format(Locale.ROOT,
                                "Do not start a sprint while the team is %s: %d such sprints scored %.2f on average",
                                availability, runs.size(), mean))
                        .knowledgeId(nextId())
                        .content(withConditions("team_availability is " + availability,
                                Map.of("sprint_created", false)))
                        .createdBy("demo-orchestrator")
                        .build();
            } else {
                double bestLoad = bestLoadFactor(runs);
                strategy = Strategy.builder(String.format(Locale.ROOT,
                                "With the team %s, start a sprint with about %.1f tasks per unit of capacity",
                                availability, bestLoad))
                        .knowledgeId(nextId())
                        .content(withConditions("team_availability is " + availability + " and backlog_tasks >= 5",
                                Map.of("sprint_created", true, "load_factor", Math.round(bestLoad * 10) / 10.0)))
                        .createdBy("demo-orchestrator")
                        .build();
            }
            KnowledgeStore knowledge = memory.knowledge();
            float[] vector = memory.episodeEmbedder().embedder().embed(strategy.description());
            knowledge.storeStrategy(strategy, vector);
            learned.put(availability, strategy);
        }
    }

    private static Map<String, Object> withConditions(String conditions, Map<String, Object> recommendation) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put(Strategy.CONDITIONS_KEY, conditions);
        content.put("recommendation", recommendation);
        return content;
    }

    // The load factor whose sprints scored best, in steps of 0.1.
    private static double bestLoadFactor(List<Episode> runs) {
        Map<Long, double[]> byBucket = new HashMap<>();
        for (Episode e : runs) {
            long bucket = Math.round(ratio(e) * 10);
            double[] acc = byBucket.computeIfAbsent(bucket, k -> new double[2]);
            acc[0] += e.outcomeQuality();
            acc[1]++;
        }
        long best = 10;
        double bestMean = -1;
        for (Map.Entry<Long, double[]> b : byBucket.entrySet()) {
            double mean = b.getValue()[0] / b.getValue()[1];
            if (mean > bestMean || (mean == bestMean && b.getKey() < best)) {
                bestMean = mean;
                best = b.getKey();
            }
        }
        return best / 10.0;
    }

    private UUID nextId() {
        return UUID.nameUUIDFromBytes(("agent-memory-demo/" + seed + "/" + (ids++)).getBytes(StandardCharsets.UTF_8));
    }

    /** What the demo shows at its end. */
    public static final class Report {
        private final OrchestratorDemo demo;
        private final double seconds;

        Report(OrchestratorDemo demo, double seconds) {
            this.demo = demo;
            this.seconds = seconds;
        }

        /** @return the mean outcome quality of the first and of the last fifth of the sprints */
        public double[] firstAndLastQuality() {
            int n = demo.sprints;
            int w = Math.max(1, n / 5);
            return new double[] {mean(0, w), mean(n - w, n)};
        }

        private double mean(int from, int to) {
            double sum = 0;
            int count = 0;
            for (int i = from; i < to; i++) {
                sum += demo.qualityBySprint[i];
                count += demo.decisionsBySprint[i];
            }
            return count == 0 ? 0 : sum / count;
        }

        /** @return the strategies the orchestrator learned, as stored now */
        public List<Strategy> strategies() {
            return demo.memory.knowledge().listStrategies(new StrategyQuery(false, null, 0, 100));
        }

        /**
         * Prints the report.
         *
         * @param out where to
         * @param withTimings false to leave out what differs between runs
         */
        public void print(PrintWriter out, boolean withTimings) {
            int n = demo.sprints;
            int window = Math.max(1, (int) Math.ceil(n / 10.0));
            out.println();
            out.println("Decision quality as memory grew (mean outcome quality, 0..1)");
            for (int from = 0; from < n; from += window) {
                int to = Math.min(n, from + window);
                double q = mean(from, to);
                int bars = (int) Math.round(q * 40);
                out.printf(Locale.ROOT, "  sprints %3d-%-3d %s%s %.2f%n", from + 1, to,
                        "█".repeat(bars), "·".repeat(40 - bars), q);
            }
            double[] fl = firstAndLastQuality();
            out.printf(Locale.ROOT, "  first fifth %.2f -> last fifth %.2f%n", fl[0], fl[1]);

            out.println();
            out.println("Strategies learned (confidence = Wilson lower bound of the success rate)");
            out.printf(Locale.ROOT, "  %-6s %-8s %-9s %-8s %s%n", "conf", "applied", "success", "active", "strategy");
            for (Strategy s : strategies()) {
                out.printf(Locale.ROOT, "  %-6.2f %-8d %-9s %-8s %s%n", s.confidence(), s.timesApplied(),
                        s.successCount() + "/" + s.timesApplied(), s.active() ? "yes" : "no", s.description());
                out.printf(Locale.ROOT, "  %-6s %-8s %-9s %-8s when: %s%n", "", "", "", "", s.content().get("conditions"));
            }

            out.println();
            out.println("Example recall, " + demo.exampleProject + " at its last sprint");
            out.println("  situation: " + demo.exampleContext);
            out.printf(Locale.ROOT, "  %-6s %-26s %-22s %-8s%n", "sim", "sprint", "decision", "outcome");
            for (Episode e : demo.exampleRecall.subList(0, Math.min(5, demo.exampleRecall.size()))) {
                String decision = Boolean.TRUE.equals(e.action().get("sprint_created"))
                        ? "sprint, " + e.action().get("tasks_assigned") + " tasks" : "wait";
                out.printf(Locale.ROOT, "  %-6.3f %-26s %-22s %-8s%n", e.similarity(), e.sprintId(), decision,
                        e.outcomeQuality() == null ? "-" : String.format(Locale.ROOT, "%.2f", e.outcomeQuality()));
            }

            int decisions = Arrays.stream(demo.decisionsBySprint).sum();
            out.println();
            out.printf(Locale.ROOT, "Decisions: %d (%d projects x %d sprints), episodes stored: %d%n", decisions,
                    demo.projects, demo.sprints, demo.memory.episodes().countEpisodes(null));
            if (withTimings) {
                out.println("Timings");
                out.printf(Locale.ROOT, "  whole run        %.1f s, %.0f decisions/s (perceive, recall, consult, decide, remember, outcome)%n",
                        seconds, decisions / seconds);
                double rememberTotal = demo.rememberMillis.stream().mapToDouble(Double::doubleValue).sum();
                out.printf(Locale.ROOT, "  remember         %.0f episodes/s, p50 %.2f ms, p95 %.2f ms%n",
                        demo.rememberMillis.size() / (rememberTotal / 1000), percentile(demo.rememberMillis, 50),
                        percentile(demo.rememberMillis, 95));
                out.printf(Locale.ROOT, "  recall           p50 %.2f ms, p95 %.2f ms%n",
                        percentile(demo.recallMillis, 50), percentile(demo.recallMillis, 95));
            }
        }

        private static double percentile(List<Double> values, int p) {
            if (values.isEmpty()) {
                return 0;
            }
            double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
        }
    }
}
