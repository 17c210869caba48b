package dev.agentmemory.cli.demo;

import dev.agentmemory.api.Advice;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.core.AgentMemorySystem;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * An agent that decides from its memory alone: the learned strategies that apply
 * ({@link AgentMemorySystem#getLearnedStrategies}) say which values to take, the advice on similar
 * situations ({@link AgentMemorySystem#advise}) chooses among what they leave open, and now and
 * then it explores an option at random. It remembers each decision and its outcome, and asks the
 * memory to consolidate every few decisions. It knows no rule of any world: only the options it
 * is offered.
 */
public final class MemoryAgent {

    /** How many pieces of advice the agent weighs. */
    static final int ADVICE = 10;

    /** Strategies at least this confident are followed. */
    public static final double MIN_CONFIDENCE = 0.5;

    private final AgentMemorySystem memory;
    private final Random random;
    private final long seed;
    private final int consolidateEvery;
    private final Instant start = Instant.parse("2026-01-05T09:00:00Z");
    private int decisions;

    final Timings timings = new Timings();

    /**
     * @param memory the memory; it needs a knowledge store
     * @param seed the seed of the exploration and of the episode ids
     * @param consolidateEvery consolidate after this many decisions
     */
    public MemoryAgent(AgentMemorySystem memory, long seed, int consolidateEvery) {
        this.memory = memory;
        this.random = new Random(seed * 31 + 7);
        this.seed = seed;
        this.consolidateEvery = consolidateEvery;
    }

    /**
     * How the decision was taken.
     *
     * @param action the action
     * @param source "explore", "strategy", "advice" or "random" (nothing to go on yet)
     * @param why in words
     */
    public record Decision(Map<String, Object> action, String source, String why) {
    }

    /** @return the chance of exploring at the n-th decision: a fifth at first, then a twentieth */
    static double exploration(int n) {
        return Math.max(0.05, 0.2 - 0.15 * n / 300.0);
    }

    /**
     * @param situation what the agent perceives
     * @param options what it may do
     * @return its decision
     */
    public Decision decide(Map<String, Object> situation, List<Map<String, Object>> options) {
        if (random.nextDouble() < exploration(decisions)) {
            return new Decision(options.get(random.nextInt(options.size())), "explore", "exploring");
        }
        long t0 = System.nanoTime();
        List<Strategy> strategies = memory.getLearnedStrategies(situation, MIN_CONFIDENCE);
        timings.strategies.add(millis(t0));
        List<Map<String, Object>> candidates = new ArrayList<>(options);
        String why = null;
        // Most confident first: each strategy narrows the options, unless nothing would be left.
        for (Strategy s : strategies) {
            List<Map<String, Object>> narrowed = new ArrayList<>();
            for (Map<String, Object> o : candidates) {
                if (follows(o, s)) {
                    narrowed.add(o);
                }
            }
            if (!narrowed.isEmpty() && narrowed.size() < candidates.size()) {
                candidates = narrowed;
                why = why == null ? s.description() : why;
            }
        }
        long a0 = System.nanoTime();
        List<Advice> advice = memory.advise(situation, null, ADVICE);
        timings.advise.add(millis(a0));
        // Optimism where evidence is thin: the advice with the best upper bound (the expected quality
        // plus its distance to the lower bound) is tried, so a decision seen to do well twice is not
        // buried under one seen to do fairly well thirty times.
        Advice chosen = null;
        Map<String, Object> action = null;
        for (Advice a : advice) {
            Map<String, Object> nearest = nearest(candidates, a.action());
            if (nearest != null && (chosen == null || upper(a) > upper(chosen))) {
                chosen = a;
                action = nearest;
            }
        }
        if (chosen != null) {
            return new Decision(action, why != null ? "strategy" : "advice", why != null ? why
                    : String.format(Locale.ROOT, "advice: %s did %.2f in %d similar situations", chosen.action(),
                    chosen.expectedQuality(), chosen.evidence()));
        }
        Map<String, Object> any = candidates.get(random.nextInt(candidates.size()));
        return new Decision(any, why != null ? "strategy" : "random", why != null ? why : "nothing to go on yet");
    }

    /**
     * Remembers a decision and its outcome; consolidates every few decisions.
     *
     * @param projectId the project
     * @param step the project's step
     * @param situation what was perceived
     * @param decision what was decided
     * @param outcome what happened
     * @return the episode's id
     */
    public UUID observe(String projectId, int step, Map<String, Object> situation, Decision decision,
                        World.Outcome outcome) {
        Episode episode = Episode.builder(projectId)
                .episodeId(UUID.nameUUIDFromBytes(("agent-memory-demo/" + seed + "/" + decisions)
                        .getBytes(StandardCharsets.UTF_8)))
                .timestamp(start.plus(Duration.ofDays(step)).plusSeconds(decisions))
                .perception(situation)
                .reasoning(Map.of("summary", decision.why()))
                .action(decision.action())
                .sprintId(projectId + "-" + step)
                .decisionSource(decision.source())
                .build();
        long m0 = System.nanoTime();
        UUID id = memory.rememberDecision(episode);
        timings.remember.add(millis(m0));
        memory.recordOutcome(id, outcome.outcome(), outcome.quality());
        decisions++;
        if (decisions % consolidateEvery == 0) {
            long c0 = System.nanoTime();
            memory.consolidate(null);
            timings.consolidate.add(millis(c0));
        }
        return id;
    }

    // Whether an option takes the values a strategy recommends: equal values, or for a learned
    // bin of a number, a value within the bin.
    @SuppressWarnings("unchecked")
    static boolean follows(Map<String, Object> option, Strategy s) {
        Object rec = s.content().get("recommendation");
        if (!(rec instanceof Map<?, ?> recommendation)) {
            return true;
        }
        Object learned = s.content().get("learned");
        List<?> range = learned instanceof Map<?, ?> m && m.get("range") instanceof List<?> r ? r : null;
        for (Map.Entry<String, Object> e : ((Map<String, Object>) recommendation).entrySet()) {
            Object mine = option.get(e.getKey());
            if (range != null && mine instanceof Number n) {
                double v = n.doubleValue();
                if (v < ((Number) range.get(0)).doubleValue() || v >= ((Number) range.get(1)).doubleValue()) {
                    return false;
                }
            } else if (!same(mine, e.getValue())) {
                return false;
            }
        }
        return true;
    }

    // The option closest to an advised action: every non-number must match, numbers as near as can be.
    static Map<String, Object> nearest(List<Map<String, Object>> options, Map<String, Object> advised) {
        Map<String, Object> best = null;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (Map<String, Object> o : options) {
            double d = 0;
            for (Map.Entry<String, Object> e : advised.entrySet()) {
                Object mine = o.get(e.getKey());
                if (mine instanceof Number a && e.getValue() instanceof Number b) {
                    d += Math.abs(a.doubleValue() - b.doubleValue()) / Math.max(1, Math.abs(b.doubleValue()));
                } else if (!same(mine, e.getValue())) {
                    d = Double.POSITIVE_INFINITY;
                    break;
                }
            }
            if (d < bestDistance) {
                bestDistance = d;
                best = o;
            }
        }
        return best;
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        return a != null && a.equals(b);
    }

    private static double upper(Advice a) {
        return 2 * a.expectedQuality() - a.confidence();
    }

    private static double millis(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }

    /** What the agent's memory calls cost, in milliseconds. */
    static final class Timings {
        final List<Double> strategies = new ArrayList<>();
        final List<Double> advise = new ArrayList<>();
        final List<Double> remember = new ArrayList<>();
        final List<Double> consolidate = new ArrayList<>();
    }

    /** @return the memory */
    public AgentMemorySystem memory() {
        return memory;
    }
}
