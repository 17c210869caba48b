package dev.agentmemory.cli.demo;

import dev.agentmemory.api.Advice;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.core.AgentMemorySystem;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * The demo: one world, one seed, two agents side by side. The agent without memory picks among
 * its options at random (it has nothing else to go on); the agent with memory decides from the
 * library's learned strategies and advice ({@link MemoryAgent}). Both meet the same situations in
 * the same order, and the same noise.
 *
 * <p>Deterministic for a seed: the world, the exploration, the episode ids and the timestamps all
 * come from it. Only the timings differ between runs.
 */
public final class OrchestratorDemo {

    /** The memory agent consolidates after this many decisions. */
    static final int CONSOLIDATE_EVERY = 20;

    private final AgentMemorySystem memory;
    private final World world;
    private final int steps;
    private final long seed;
    private final MemoryAgent agent;

    private final List<Double> without = new ArrayList<>();
    private final List<Double> with = new ArrayList<>();
    private final List<Double> best = new ArrayList<>();
    private final int[] sources = new int[4];
    private Map<String, Object> exampleSituation = Map.of();

    /**
     * @param memory the memory to use; the demo needs a knowledge store
     * @param worldName which world ({@link World#names()})
     * @param projects how many projects
     * @param steps how many decisions per project
     * @param seed the seed of everything random
     */
    public OrchestratorDemo(AgentMemorySystem memory, String worldName, int projects, int steps, long seed) {
        this.memory = memory;
        this.world = World.named(worldName, projects, new Random(seed));
        this.steps = steps;
        this.seed = seed;
        this.agent = new MemoryAgent(memory, seed, CONSOLIDATE_EVERY);
    }

    /** @return the world played */
    public World world() {
        return world;
    }

    /**
     * Runs the simulation.
     *
     * @param progress told the number of decisions taken so far after each one
     * @return the report to print
     */
    public Report run(IntConsumer progress) {
        long t0 = System.nanoTime();
        Random situations = new Random(seed + 1);
        Random noiseWithout = new Random(seed + 2);
        Random noiseWith = new Random(seed + 2);
        Random blind = new Random(seed + 3);
        int done = 0;
        for (int step = 1; step <= steps; step++) {
            for (int p = 0; p < world.projects(); p++) {
                Map<String, Object> situation = world.perceive(p, step, situations);
                List<Map<String, Object>> options = world.options(situation);

                Map<String, Object> guess = options.get(blind.nextInt(options.size()));
                without.add(world.play(situation, guess, noiseWithout).quality());

                MemoryAgent.Decision decision = agent.decide(situation, options);
                World.Outcome outcome = world.play(situation, decision.action(), noiseWith);
                agent.observe(world.projectId(p), step, situation, decision, outcome);
                with.add(outcome.quality());
                best.add(world.best(situation).getValue());
                sources[switch (decision.source()) {
                    case "strategy" -> 0;
                    case "advice" -> 1;
                    case "explore" -> 2;
                    default -> 3;
                }]++;
                exampleSituation = situation;
                progress.accept(++done);
            }
        }
        long c0 = System.nanoTime();
        List<Strategy> learned = memory.consolidate(null);
        agent.timings.consolidate.add((System.nanoTime() - c0) / 1e6);
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Report(this, learned, seconds);
    }

    /** What the demo shows at its end. */
    public static final class Report {
        private final OrchestratorDemo demo;
        private final List<Strategy> learned;
        private final double seconds;

        Report(OrchestratorDemo demo, List<Strategy> learned, double seconds) {
            this.demo = demo;
            this.learned = learned;
            this.seconds = seconds;
        }

        /** @return the mean quality over the last third of the decisions: without memory, with memory, best possible */
        public double[] lastThird() {
            int n = demo.with.size();
            int from = n - Math.max(1, n / 3);
            return new double[] {mean(demo.without, from, n), mean(demo.with, from, n), mean(demo.best, from, n)};
        }

        /** @return the strategies the library learned, active, most confident first */
        public List<Strategy> strategies() {
            return learned;
        }

        private static double mean(List<Double> values, int from, int to) {
            double sum = 0;
            for (int i = from; i < to; i++) {
                sum += values.get(i);
            }
            return to > from ? sum / (to - from) : 0;
        }

        /**
         * Prints the report.
         *
         * @param out where to
         * @param withTimings false to leave out what differs between runs
         */
        public void print(PrintWriter out, boolean withTimings) {
            int n = demo.with.size();
            int windows = Math.min(10, n);
            out.println();
            out.println("Decision quality over time (mean outcome quality per tenth of the run, 0..1)");
            out.printf(Locale.ROOT, "  %-15s %-32s %s%n", "decisions", "without memory", "with memory");
            for (int w = 0; w < windows; w++) {
                int from = w * n / windows;
                int to = (w + 1) * n / windows;
                double a = mean(demo.without, from, to);
                double b = mean(demo.with, from, to);
                out.printf(Locale.ROOT, "  %4d-%-10d %s %.2f  %s %.2f%n", from + 1, to, bar(a, 25), a, bar(b, 25), b);
            }
            double[] last = lastThird();
            out.printf(Locale.ROOT, "  last third: without memory %.2f, with memory %.2f, best possible %.2f"
                    + " (%.0f%% of the best, exploration included)%n", last[0], last[1], last[2],
                    last[2] > 0 ? 100 * last[1] / last[2] : 0);
            out.printf(Locale.ROOT, "  the memory agent's decisions: %d from learned strategies, %d from advice,"
                    + " %d exploring, %d with nothing to go on%n", demo.sources[0], demo.sources[1], demo.sources[2],
                    demo.sources[3]);

            out.println();
            out.println("What the library learned (consolidate: no model call; confidence is a lower bound)");
            if (learned.isEmpty()) {
                out.println("  nothing yet: no decision did clearly better than its alternatives");
            }
            for (Strategy s : learned) {
                Map<?, ?> numbers = (Map<?, ?>) s.content().get("learned");
                out.printf(Locale.ROOT, "  %.2f  %s%n", s.confidence(), s.description());
                out.printf(Locale.ROOT, "        %s episodes did %s on average, the others %s%n",
                        numbers.get("support"), fmt(numbers.get("quality")), fmt(numbers.get("alternative_quality")));
            }

            out.println();
            out.println("The world's hidden rules, for comparison (the agent never saw these)");
            for (World.HiddenRule r : demo.world.hiddenRules()) {
                out.println("  - " + r.words() + "  [" + r.condition() + " => " + r.field() + " = " + r.value() + "]");
            }

            out.println();
            out.println("Example advice (advise) for the last situation");
            out.println("  situation: " + demo.exampleSituation);
            List<Advice> advice = demo.memory.advise(demo.exampleSituation, null, 3);
            out.printf(Locale.ROOT, "  %-44s %-9s %-11s %s%n", "decision", "expected", "confidence", "episodes");
            for (Advice a : advice) {
                out.printf(Locale.ROOT, "  %-44s %-9.2f %-11.2f %d%n", a.action(), a.expectedQuality(),
                        a.confidence(), a.evidence());
            }

            out.println();
            out.printf(Locale.ROOT, "World %s (%s): %d decisions per agent (%d projects x %d), episodes stored: %d%n",
                    demo.world.name(), demo.world.description(), n, demo.world.projects(), demo.steps,
                    demo.memory.episodes().countEpisodes(null));
            if (withTimings) {
                MemoryAgent.Timings t = demo.agent.timings;
                out.println("Timings");
                out.printf(Locale.ROOT, "  whole run        %.1f s, %.0f decisions/s (perceive, strategies, advise, decide, remember, outcome)%n",
                        seconds, n / seconds);
                out.printf(Locale.ROOT, "  strategies       p50 %.2f ms, p95 %.2f ms%n", percentile(t.strategies, 50), percentile(t.strategies, 95));
                out.printf(Locale.ROOT, "  advise           p50 %.2f ms, p95 %.2f ms%n", percentile(t.advise, 50), percentile(t.advise, 95));
                out.printf(Locale.ROOT, "  remember         p50 %.2f ms, p95 %.2f ms%n", percentile(t.remember, 50), percentile(t.remember, 95));
                out.printf(Locale.ROOT, "  consolidate      %d runs, p50 %.1f ms, max %.1f ms%n", t.consolidate.size(),
                        percentile(t.consolidate, 50), percentile(t.consolidate, 100));
            }
        }

        /**
         * The report as one JSON-like object, for {@code demo --json}: the same numbers as
         * {@link #print}.
         *
         * @param withTimings false to leave out what differs between runs
         * @return quality over time, the sources of the memory agent's decisions, the strategies
         *     learned, the hidden rules, an example of advice, the episodes stored and the timings
         */
        public Map<String, Object> summary(boolean withTimings) {
            int n = demo.with.size();
            int windows = Math.min(10, n);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("world", demo.world.name());
            out.put("projects", demo.world.projects());
            out.put("decisionsPerProject", demo.steps);
            out.put("seed", demo.seed);
            out.put("decisions", n);
            List<Map<String, Object>> tenths = new ArrayList<>();
            for (int w = 0; w < windows; w++) {
                int from = w * n / windows;
                int to = (w + 1) * n / windows;
                Map<String, Object> window = new LinkedHashMap<>();
                window.put("from", from + 1);
                window.put("to", to);
                window.put("withoutMemory", round(mean(demo.without, from, to)));
                window.put("withMemory", round(mean(demo.with, from, to)));
                tenths.add(window);
            }
            out.put("qualityOverTime", tenths);
            double[] last = lastThird();
            out.put("lastThird", Map.of("withoutMemory", round(last[0]), "withMemory", round(last[1]),
                    "bestPossible", round(last[2])));
            Map<String, Object> sources = new LinkedHashMap<>();
            sources.put("strategy", demo.sources[0]);
            sources.put("advice", demo.sources[1]);
            sources.put("explore", demo.sources[2]);
            sources.put("none", demo.sources[3]);
            out.put("decisionSources", sources);
            List<Map<String, Object>> strategies = new ArrayList<>();
            for (Strategy s : learned) {
                Map<?, ?> numbers = (Map<?, ?>) s.content().get("learned");
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("knowledgeId", String.valueOf(s.knowledgeId()));
                one.put("confidence", round(s.confidence()));
                one.put("description", s.description());
                one.put("support", numbers == null ? null : numbers.get("support"));
                one.put("quality", numbers == null ? null : numbers.get("quality"));
                one.put("alternativeQuality", numbers == null ? null : numbers.get("alternative_quality"));
                strategies.add(one);
            }
            out.put("learned", strategies);
            List<Map<String, Object>> rules = new ArrayList<>();
            for (World.HiddenRule r : demo.world.hiddenRules()) {
                Map<String, Object> rule = new LinkedHashMap<>();
                rule.put("words", r.words());
                rule.put("condition", r.condition());
                rule.put("field", r.field());
                rule.put("value", r.value());
                rules.add(rule);
            }
            out.put("hiddenRules", rules);
            Map<String, Object> example = new LinkedHashMap<>();
            example.put("situation", demo.exampleSituation);
            example.put("advice", demo.memory.advise(demo.exampleSituation, null, 3));
            out.put("exampleAdvice", example);
            out.put("episodesStored", demo.memory.episodes().countEpisodes(null));
            if (withTimings) {
                MemoryAgent.Timings t = demo.agent.timings;
                Map<String, Object> timings = new LinkedHashMap<>();
                timings.put("runSeconds", round(seconds));
                timings.put("decisionsPerSecond", round(n / seconds));
                timings.put("strategiesP50Ms", round(percentile(t.strategies, 50)));
                timings.put("strategiesP95Ms", round(percentile(t.strategies, 95)));
                timings.put("adviseP50Ms", round(percentile(t.advise, 50)));
                timings.put("adviseP95Ms", round(percentile(t.advise, 95)));
                timings.put("rememberP50Ms", round(percentile(t.remember, 50)));
                timings.put("rememberP95Ms", round(percentile(t.remember, 95)));
                timings.put("consolidateRuns", t.consolidate.size());
                timings.put("consolidateP50Ms", round(percentile(t.consolidate, 50)));
                timings.put("consolidateMaxMs", round(percentile(t.consolidate, 100)));
                out.put("timings", timings);
            }
            return out;
        }

        private static double round(double v) {
            return Math.round(v * 1000) / 1000.0;
        }

        private static String fmt(Object v) {
            return v instanceof Number x ? String.format(Locale.ROOT, "%.2f", x.doubleValue()) : String.valueOf(v);
        }

        private static String bar(double q, int width) {
            int bars = (int) Math.round(Math.max(0, Math.min(1, q)) * width);
            return "█".repeat(bars) + "·".repeat(width - bars);
        }

        static double percentile(List<Double> values, int p) {
            if (values.isEmpty()) {
                return 0;
            }
            double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
        }
    }
}
