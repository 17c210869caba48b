package dev.agentmemory.bench;

import dev.agentmemory.api.Episode;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.cli.demo.MemoryAgent;
import dev.agentmemory.cli.demo.World;
import dev.agentmemory.core.AgentMemory;
import dev.agentmemory.core.AgentMemorySystem;
import dev.agentmemory.core.learning.Consolidator;
import dev.agentmemory.core.learning.LearningSettings;
import dev.agentmemory.embedding.onnx.OnnxEmbedder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * What learning from outcomes is worth, on generated worlds with hidden rules (the demo's worlds:
 * Scrum sprints, on-call incidents, warehouse reorders; categorical and numeric rules, noisy
 * outcomes). For each world, four agents meet the same situations: one that picks at random, a
 * nearest-neighbour agent (the action of the best-rated of the ten most similar past situations),
 * the library's agent ({@link MemoryAgent}: learned strategies and advice, with exploration) and
 * the optimal policy (the world's own best action, which no agent knows). Then it checks the
 * strategies the library learned against the world's hidden rules, times consolidation at 1k,
 * 10k and 100k episodes, and advise against a recall.
 *
 * <pre>
 * java -cp memory-bench/target/memory-bench.jar:memory-bench/target/lib/* \
 *     dev.agentmemory.bench.LearningBenchmark [--out DIR] [--decisions N] [--seeds 42,7,1234]
 *     [--worlds scrum,oncall,inventory] [--no-cost]
 * </pre>
 *
 * With several seeds ({@code --seed S} is one), each seed gets its own tables and a summary gives
 * every seed's row per world and the minimum and mean over the seeds; the cost is measured once,
 * at the first seed ({@code --no-cost} leaves it out). Writes {@code DIR/learning.md} and prints it.
 */
public final class LearningBenchmark {

    private final int decisions;
    private final long seed;
    private final List<String> worlds;
    private final boolean cost;
    private final OnnxEmbedder model;
    private final StringBuilder md = new StringBuilder();
    /** One row per world: name, % of optimal, rules recovered, hidden rules, false rules. */
    private final List<Summary> summary = new ArrayList<>();

    private record Summary(long seed, String world, double percent, int recovered, int hidden, int falseRules) {
    }

    private LearningBenchmark(int decisions, long seed, List<String> worlds, boolean cost, OnnxEmbedder model) {
        this.decisions = decisions;
        this.seed = seed;
        this.worlds = worlds;
        this.cost = cost;
        this.model = model;
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> opts = RetrievalQualityBenchmark.Args.parse(args);
        Path out = Path.of(opts.getOrDefault("out", "bench-results/learning"));
        List<Long> seeds = new ArrayList<>();
        for (String s : opts.getOrDefault("seeds", opts.getOrDefault("seed", "42")).split(",")) {
            seeds.add(Long.parseLong(s.trim()));
        }
        List<String> worlds = new ArrayList<>();
        for (String w : opts.getOrDefault("worlds", String.join(",", World.names())).split(",")) {
            if (!World.names().contains(w.trim())) {
                throw new IllegalArgumentException("'" + w + "' is not a world; the worlds are " + World.names());
            }
            worlds.add(w.trim());
        }
        int decisions = Integer.parseInt(opts.getOrDefault("decisions", "900"));
        OnnxEmbedder model = new OnnxEmbedder();
        StringBuilder all = new StringBuilder();
        List<Summary> rows = new ArrayList<>();
        for (int k = 0; k < seeds.size(); k++) {
            LearningBenchmark b = new LearningBenchmark(decisions, seeds.get(k), worlds,
                    k == 0 && !opts.containsKey("no-cost"), model);
            String one = b.run();
            rows.addAll(b.summary);
            all.append(seeds.size() > 1 ? one.replace("\n## ", "\n### ").replaceFirst("^# .*\n", "## Seed " + seeds.get(k) + "\n") : one);
            all.append('\n');
        }
        String report = seeds.size() > 1 ? summary(seeds, worlds, decisions, rows) + "\n" + all : all.toString();
        Files.createDirectories(out);
        Files.writeString(out.resolve("learning.md"), report, StandardCharsets.UTF_8);
        System.out.println(report);
        System.out.println("written: " + out.resolve("learning.md"));
        System.exit(0);
    }

    // Every seed's row per world, and the worst and the mean over the seeds.
    private static String summary(List<Long> seeds, List<String> worlds, int decisions, List<Summary> rows) {
        StringBuilder out = new StringBuilder("# Learning from outcomes: agents on worlds with hidden rules, "
                + seeds.size() + " seeds\n\n");
        out.append(String.format(Locale.ROOT, "%d decisions per agent, world and seed; the memory agent's mean quality over "
                + "the last third as a share of the optimal policy's (exploration included), the hidden rules its own "
                + "episodes' consolidation recovered, and its false rules (confidence >= 0.5, contradicted by the world). "
                + "Targets: >= 90%%, every rule, no false rule.%n%n", decisions));
        out.append("| world | seed | memory / optimal | hidden rules recovered | false rules |\n|---|---|---|---|---|\n");
        for (String w : worlds) {
            double min = Double.POSITIVE_INFINITY;
            double sum = 0;
            int minRules = Integer.MAX_VALUE;
            int maxFalse = 0;
            int hidden = 0;
            int n = 0;
            for (Summary r : rows) {
                if (!r.world.equals(w)) {
                    continue;
                }
                out.append(String.format(Locale.ROOT, "| %s | %d | %.1f%% | %d/%d | %d |%n", w, r.seed, r.percent,
                        r.recovered, r.hidden, r.falseRules));
                min = Math.min(min, r.percent);
                sum += r.percent;
                minRules = Math.min(minRules, r.recovered);
                maxFalse = Math.max(maxFalse, r.falseRules);
                hidden = r.hidden;
                n++;
            }
            out.append(String.format(Locale.ROOT, "| **%s** | min / mean | **%.1f%% / %.1f%%** | min %d/%d | max %d |%n",
                    w, min, sum / n, minRules, hidden, maxFalse));
        }
        return out.toString();
    }

    private String run() {
        line("# Learning from outcomes: agents on worlds with hidden rules");
        line("");
        line(String.format(Locale.ROOT, "Seed %d, %d decisions per agent and world; quality is the expected outcome quality "
                + "of the action taken (the world's noise left out), mean over decisions %d-%d (the last third). "
                + "Exploration included. Machine: %d cores, %s.", seed, decisions, decisions - decisions / 3 + 1,
                decisions, Runtime.getRuntime().availableProcessors(), System.getProperty("java.runtime.version")));
        line("");
        List<String[]> curves = new ArrayList<>();
        List<String[]> rules = new ArrayList<>();
        List<String> details = new ArrayList<>();
        double[] adviseMs = null;
        for (String name : worlds) {
            log("seed %d, world %s", seed, name);
            WorldRun r = play(name);
            double last = r.mean(r.memory);
            curves.add(new String[] {name, f(r.mean(r.random)), f(r.mean(r.neighbour)), f(last), f(r.mean(r.optimal)),
                    String.format(Locale.ROOT, "%.0f%%", 100 * last / r.mean(r.optimal)),
                    100 * last / r.mean(r.optimal) >= 90 ? "pass" : "MISS"});
            Judged fromAgent = judge(r.world, r.learned);
            Judged fromRandom = judge(r.world, r.learnedFromRandom);
            summary.add(new Summary(seed, name, 100 * last / r.mean(r.optimal), fromAgent.recovered,
                    r.world.hiddenRules().size(), fromAgent.falseRules));
            for (Strategy c : fromAgent.contradicted) {
                log("  contradicted: %.2f %s", c.confidence(), c.description());
            }
            log("  missed: %s", fromAgent.missing);
            log("seed %d, %s: %.1f%% of the optimal policy, rules %d/%d, false rules %d", seed, name,
                    100 * last / r.mean(r.optimal), fromAgent.recovered, r.world.hiddenRules().size(), fromAgent.falseRules);
            rules.add(new String[] {name, "memory agent's own episodes", fromAgent.recovered + "/" + r.world.hiddenRules().size(),
                    String.valueOf(fromAgent.falseRules), String.valueOf(r.learned.size()), fromAgent.missing});
            rules.add(new String[] {name, decisions + " random decisions", fromRandom.recovered + "/" + r.world.hiddenRules().size(),
                    String.valueOf(fromRandom.falseRules), String.valueOf(r.learnedFromRandom.size()), fromRandom.missing});
            StringBuilder d = new StringBuilder("### " + name + ": learning curve (mean quality per tenth) and rules\n\n");
            d.append("| decisions | random | nearest neighbour | memory agent | optimal |\n|---|---|---|---|---|\n");
            for (int w = 0; w < 10; w++) {
                int from = w * decisions / 10;
                int to = (w + 1) * decisions / 10;
                d.append(String.format(Locale.ROOT, "| %d-%d | %s | %s | %s | %s |%n", from + 1, to,
                        f(mean(r.random, from, to)), f(mean(r.neighbour, from, to)), f(mean(r.memory, from, to)),
                        f(mean(r.optimal, from, to))));
            }
            d.append("\nLearned (memory agent's episodes), confidence and rule:\n\n");
            for (Strategy s : r.learned) {
                d.append(String.format(Locale.ROOT, "- %.2f %s%s%n", s.confidence(), s.description(),
                        fromAgent.contradicted.contains(s) ? " **(contradicted by the world)**" : ""));
            }
            d.append("\nHidden rules: ");
            for (World.HiddenRule h : r.world.hiddenRules()) {
                d.append("`").append(h.condition()).append(" => ").append(h.field()).append(" = ").append(h.value()).append("`; ");
            }
            d.append("\n");
            details.add(d.toString());
            if (adviseMs == null) {
                adviseMs = r.adviseMs;
            }
        }
        line("## Decision quality, last third");
        line("");
        line("| world | random | nearest neighbour | memory agent | optimal | memory / optimal | target >= 90% |");
        line("|---|---|---|---|---|---|---|");
        for (String[] c : curves) {
            line("| " + String.join(" | ", c) + " |");
        }
        line("");
        line("## Hidden rules recovered by consolidation");
        line("");
        line("A hidden rule is recovered when learned strategies recommending its value cover at least 80% of the "
                + "situations where it holds (4,000 sampled situations). A false rule is a learned strategy with "
                + "confidence >= 0.5 whose recommended values reach, on average over the situations where it applies, "
                + "a lower best expected quality than the alternatives (by more than 0.01).");
        line("");
        line("| world | learned from | hidden rules recovered | false rules (confidence >= 0.5) | strategies | not recovered |");
        line("|---|---|---|---|---|---|");
        for (String[] c : rules) {
            line("| " + String.join(" | ", c) + " |");
        }
        line("");
        if (cost && adviseMs != null) {
            timings(adviseMs);
            line("");
        }
        for (String d : details) {
            line(d);
        }
        return md.toString();
    }

    // ---- the agents on one world ---------------------------------------------------------------

    private static final class WorldRun {
        World world;
        final List<Double> random = new ArrayList<>();
        final List<Double> neighbour = new ArrayList<>();
        final List<Double> memory = new ArrayList<>();
        final List<Double> optimal = new ArrayList<>();
        List<Strategy> learned = List.of();
        List<Strategy> learnedFromRandom = List.of();
        double[] adviseMs;

        double mean(List<Double> v) {
            int n = v.size();
            return LearningBenchmark.mean(v, n - n / 3, n);
        }
    }

    private AgentMemorySystem open() {
        return AgentMemory.builder().embedder(model).build();
    }

    private WorldRun play(String name) {
        WorldRun r = new WorldRun();
        int projects = 6;
        r.world = World.named(name, projects, new Random(seed));
        Random situations = new Random(seed + 1);
        Random blind = new Random(seed + 3);
        Random nnExplore = new Random(seed * 31 + 7);
        try (AgentMemorySystem mine = open(); AgentMemorySystem nn = open(); AgentMemorySystem randomMemory = open()) {
            MemoryAgent agent = new MemoryAgent(mine, seed, 20);
            Random noise = new Random(seed + 2);
            List<Episode> randomEpisodes = new ArrayList<>();
            int step = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < decisions; i++) {
                int p = i % projects;
                if (p == 0) {
                    step++;
                }
                Map<String, Object> s = r.world.perceive(p, step, situations);
                List<Map<String, Object>> options = r.world.options(s);
                String project = r.world.projectId(p);

                Map<String, Object> guess = options.get(blind.nextInt(options.size()));
                r.random.add(r.world.expectedQuality(s, guess));
                randomEpisodes.add(episode("random", i, project, step, s, guess,
                        r.world.play(s, guess, noise).quality()));

                Map<String, Object> near = neighbour(nn, s, options, nnExplore, i);
                r.neighbour.add(r.world.expectedQuality(s, near));
                UUID id = nn.rememberDecision(episode("nn", i, project, step, s, near, null));
                nn.recordOutcome(id, Map.of(), r.world.play(s, near, noise).quality());

                MemoryAgent.Decision d = agent.decide(s, options);
                r.memory.add(r.world.expectedQuality(s, d.action()));
                agent.observe(project, step, s, d, r.world.play(s, d.action(), noise));

                r.optimal.add(r.world.best(s).getValue());
                if ((i + 1) % 100 == 0) {
                    log("  %s: %d decisions, %.0f s", name, i + 1, (System.nanoTime() - t0) / 1e9);
                }
            }
            r.learned = mine.consolidate(null);
            randomMemory.episodes().storeEpisodes(randomEpisodes, Arrays.asList(new float[randomEpisodes.size()][]));
            r.learnedFromRandom = randomMemory.consolidate(null);

            // advise against a recall of as many candidates, on fresh situations
            List<Double> advise = new ArrayList<>();
            List<Double> recall = new ArrayList<>();
            Random fresh = new Random(seed + 9);
            for (int i = 0; i < 300; i++) {
                Map<String, Object> s = r.world.perceive(i % projects, 1000 + i, fresh);
                long a0 = System.nanoTime();
                mine.advise(s, null, 5);
                advise.add((System.nanoTime() - a0) / 1e6);
                Map<String, Object> s2 = r.world.perceive(i % projects, 2000 + i, fresh);
                long b0 = System.nanoTime();
                mine.recallSimilarSituations(s2, null, 50);
                recall.add((System.nanoTime() - b0) / 1e6);
            }
            r.adviseMs = new double[] {pct(advise, 50), pct(advise, 95), pct(recall, 50), pct(recall, 95),
                    mine.episodes().countEpisodes(null)};
        }
        return r;
    }

    private Map<String, Object> neighbour(AgentMemorySystem nn, Map<String, Object> s, List<Map<String, Object>> options,
                                          Random explore, int n) {
        if (explore.nextDouble() < Math.max(0.05, 0.2 - 0.15 * n / 300.0)) {
            return options.get(explore.nextInt(options.size()));
        }
        Episode best = null;
        for (Episode e : nn.recallSimilarSituations(s, null, 10)) {
            if (e.outcomeQuality() != null && (best == null || e.outcomeQuality() > best.outcomeQuality())) {
                best = e;
            }
        }
        if (best == null) {
            return options.get(explore.nextInt(options.size()));
        }
        Map<String, Object> nearest = nearest(options, best.action());
        return nearest != null ? nearest : options.get(explore.nextInt(options.size()));
    }

    private static Map<String, Object> nearest(List<Map<String, Object>> options, Map<String, Object> action) {
        Map<String, Object> best = null;
        double bestD = Double.POSITIVE_INFINITY;
        for (Map<String, Object> o : options) {
            double d = 0;
            for (Map.Entry<String, Object> e : action.entrySet()) {
                Object mine = o.get(e.getKey());
                if (mine instanceof Number a && e.getValue() instanceof Number b) {
                    d += Math.abs(a.doubleValue() - b.doubleValue());
                } else if (mine == null || !mine.equals(e.getValue())) {
                    d += 1e6;
                }
            }
            if (d < bestD) {
                bestD = d;
                best = o;
            }
        }
        return best;
    }

    private Episode episode(String agent, int i, String project, int step, Map<String, Object> s, Map<String, Object> a,
                            Double quality) {
        Episode.Builder b = Episode.builder(project)
                .episodeId(UUID.nameUUIDFromBytes((agent + "/" + seed + "/" + i).getBytes(StandardCharsets.UTF_8)))
                .timestamp(Instant.parse("2026-01-05T09:00:00Z").plusSeconds(3600L * i))
                .perception(s)
                .reasoning(Map.of())
                .action(a)
                .sprintId(project + "-" + step);
        if (quality != null) {
            b.outcome(Map.of()).outcomeQuality(quality);
        }
        return b.build();
    }

    // ---- judging what was learned against the world's rules -----------------------------------

    private record Judged(int recovered, int falseRules, String missing, List<Strategy> contradicted) {
    }

    private Judged judge(World world, List<Strategy> learned) {
        Random r = new Random(seed + 77);
        List<Map<String, Object>> sample = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            sample.add(world.perceive(i % world.projects(), 1 + r.nextInt(200), r));
        }
        int recovered = 0;
        List<String> missing = new ArrayList<>();
        for (World.HiddenRule h : world.hiddenRules()) {
            Strategy rule = Strategy.builder("hidden").conditions(h.condition()).build();
            int holds = 0;
            int covered = 0;
            for (Map<String, Object> s : sample) {
                if (!rule.appliesTo(s)) {
                    continue;
                }
                holds++;
                for (Strategy l : learned) {
                    if (recommends(l, h.field(), h.value()) && l.appliesTo(s)) {
                        covered++;
                        break;
                    }
                }
            }
            if (holds > 0 && covered >= 0.8 * holds) {
                recovered++;
            } else {
                missing.add(h.condition() + " => " + h.field() + " = " + h.value()
                        + String.format(Locale.ROOT, " (%.0f%% covered)", holds == 0 ? 0 : 100.0 * covered / holds));
            }
        }
        int falseRules = 0;
        List<Strategy> contradicted = new ArrayList<>();
        for (Strategy l : learned) {
            if (l.confidence() < 0.5) {
                continue;
            }
            double with = 0;
            double without = 0;
            int n = 0;
            for (Map<String, Object> s : sample) {
                if (!l.appliesTo(s)) {
                    continue;
                }
                double bw = -1;
                double bo = -1;
                for (Map<String, Object> o : world.options(s)) {
                    double q = world.expectedQuality(s, o);
                    if (follows(o, l)) {
                        bw = Math.max(bw, q);
                    } else {
                        bo = Math.max(bo, q);
                    }
                }
                if (bw >= 0 && bo >= 0) {
                    with += bw;
                    without += bo;
                    n++;
                }
            }
            if (n > 0 && with / n < without / n - 0.01) {
                falseRules++;
                contradicted.add(l);
            }
        }
        return new Judged(recovered, falseRules, missing.isEmpty() ? "—" : String.join("; ", missing), contradicted);
    }

    private static boolean recommends(Strategy s, String field, Object value) {
        Object rec = s.content().get("recommendation");
        if (!(rec instanceof Map<?, ?> m) || !m.containsKey(field)) {
            return false;
        }
        Map<String, Object> probe = new LinkedHashMap<>();
        probe.put(field, value);
        // A recommendation about this field alone, or with the values taken alongside it.
        Object learned = s.content().get("learned");
        List<?> range = learned instanceof Map<?, ?> l && l.get("range") instanceof List<?> x ? x : null;
        Object mine = m.get(field);
        if (range != null && value instanceof Number v) {
            return v.doubleValue() >= ((Number) range.get(0)).doubleValue() && v.doubleValue() < ((Number) range.get(1)).doubleValue();
        }
        if (mine instanceof Number a && value instanceof Number b) {
            return a.doubleValue() == b.doubleValue();
        }
        return value.equals(mine);
    }

    @SuppressWarnings("unchecked")
    private static boolean follows(Map<String, Object> option, Strategy s) {
        Map<String, Object> rec = (Map<String, Object>) s.content().get("recommendation");
        Object learned = s.content().get("learned");
        List<?> range = learned instanceof Map<?, ?> m && m.get("range") instanceof List<?> r ? r : null;
        for (Map.Entry<String, Object> e : rec.entrySet()) {
            Object mine = option.get(e.getKey());
            if (range != null && mine instanceof Number n && e.getValue() instanceof Number) {
                if (n.doubleValue() < ((Number) range.get(0)).doubleValue() || n.doubleValue() >= ((Number) range.get(1)).doubleValue()) {
                    return false;
                }
            } else if (mine instanceof Number a && e.getValue() instanceof Number b) {
                if (a.doubleValue() != b.doubleValue()) {
                    return false;
                }
            } else if (mine == null || !mine.equals(e.getValue())) {
                return false;
            }
        }
        return true;
    }

    // ---- timings -----------------------------------------------------------------------------

    private void timings(double[] advise) {
        line("## Cost");
        line("");
        line("Consolidation of episodes of random decisions in the on-call world (4 perception fields, one nested; "
                + "2 action fields), median of 5 runs after 2 warm-ups. `learn` is the algorithm alone "
                + "(`Consolidator.learn`), `consolidate` the library call on the in-memory store (reading the episodes, "
                + "storing and refreshing the strategies, embedding their descriptions).");
        line("");
        line("| episodes | conditions tried | tests | rules | learn p50 | consolidate p50 |");
        line("|---|---|---|---|---|---|");
        for (int n : new int[] {1_000, 10_000, 100_000}) {
            log("consolidation at %d episodes", n);
            World world = World.named("oncall", 4, new Random(seed));
            Random r = new Random(seed + n);
            List<Episode> episodes = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Map<String, Object> s = world.perceive(i % 4, i, r);
                List<Map<String, Object>> options = world.options(s);
                Map<String, Object> a = options.get(r.nextInt(options.size()));
                episodes.add(episode("timing" + n, i, "oncall", i, s, a, world.play(s, a, r).quality()));
            }
            Consolidator c = new Consolidator(LearningSettings.ofDefaults());
            List<Double> times = new ArrayList<>();
            Consolidator.Result result = null;
            for (int k = 0; k < 7; k++) {
                long t0 = System.nanoTime();
                result = c.learn(episodes);
                if (k >= 2) {
                    times.add((System.nanoTime() - t0) / 1e6);
                }
            }
            String through = "—";
            if (n <= 10_000) {
                try (AgentMemorySystem m = open()) {
                    m.episodes().storeEpisodes(episodes, Arrays.asList(new float[n][]));
                    List<Double> t = new ArrayList<>();
                    for (int k = 0; k < 7; k++) {
                        long t0 = System.nanoTime();
                        m.consolidate("oncall");
                        if (k >= 2) {
                            t.add((System.nanoTime() - t0) / 1e6);
                        }
                    }
                    through = String.format(Locale.ROOT, "%.0f ms", pct(t, 50));
                }
            } else {
                through = "— (one project reads at most 10,000 episodes: AgentMemoryStore.MAX_LIMIT)";
            }
            line(String.format(Locale.ROOT, "| %,d | %,d | %,d | %d | %.0f ms | %s |", n, result.conditionsTried(),
                    result.tests(), result.rules().size(), pct(times, 50), through));
        }
        line("");
        line(String.format(Locale.ROOT, "advise (a recall of 50 candidates, grouped) on the Scrum agent's %.0f episodes, "
                        + "in memory, local model: p50 %.2f ms, p95 %.2f ms; a recall of 50 alone: p50 %.2f ms, p95 %.2f ms "
                        + "(300 fresh situations each).", advise[4], advise[0], advise[1], advise[2], advise[3]));
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static double mean(List<Double> v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v.get(i);
        }
        return to > from ? s / (to - from) : 0;
    }

    private static double pct(List<Double> v, int p) {
        double[] sorted = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private void line(String s) {
        md.append(s).append('\n');
    }

    private static void log(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[learning] " + format + "%n", args);
    }
}
