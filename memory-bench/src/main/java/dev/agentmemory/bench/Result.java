package dev.agentmemory.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One measured scenario: its numbers, the targets they are held against, and the peers measured
 * beside it in the same run.
 *
 * @param id a stable key, such as {@code search.postgres.100k.all}
 * @param group the numbered part of the issue it answers, such as {@code 3. search}
 * @param scenario what was measured, in words
 * @param headline the number the table shows, with its unit ({@code "p50 3.1 ms"})
 * @param metrics every number measured, by name ({@code p50_ms}, {@code recall_at_10}, ...)
 * @param latency the latency distribution, where the scenario is a latency
 * @param targets what the numbers should reach, each checked against one metric
 * @param peers the same scenario measured on a peer
 * @param notes how it was measured, where the table is not enough
 * @param startedAtMillis when the measurement began (epoch ms): the window of its profile
 * @param endedAtMillis when it ended
 */
record Result(String id, String group, String scenario, String headline, Map<String, Double> metrics,
              Latency.@Nullable Summary latency, List<Target> targets, List<Peer> peers, String notes,
              long startedAtMillis, long endedAtMillis) {

    /** @return whether every target is met (true when there is none) */
    boolean passed() {
        for (Target t : targets) {
            if (!t.met(metrics)) {
                return false;
            }
        }
        return true;
    }

    /** @return "pass", or what was missed and by how much */
    String verdict() {
        if (targets.isEmpty()) {
            return "—";
        }
        List<String> misses = new ArrayList<>();
        for (Target t : targets) {
            if (!t.met(metrics)) {
                misses.add(t.shortfall(metrics));
            }
        }
        return misses.isEmpty() ? "pass" : "MISS: " + String.join("; ", misses);
    }

    /** @return the target texts joined */
    String targetText() {
        List<String> texts = new ArrayList<>();
        for (Target t : targets) {
            texts.add(t.text());
        }
        return texts.isEmpty() ? "—" : String.join("; ", texts);
    }

    static Builder builder(String id, String group, String scenario) {
        return new Builder(id, group, scenario);
    }

    /** Which way a target points. */
    enum Direction { AT_MOST, AT_LEAST }

    /**
     * A target held against one metric.
     *
     * @param metric the metric's name in {@link #metrics}
     * @param direction whether the metric must stay at most or reach at least the threshold
     * @param threshold the threshold
     * @param unit its unit, for the text
     * @param text the target in words, as the issue states it
     */
    record Target(String metric, Direction direction, double threshold, String unit, String text) {

        boolean met(Map<String, Double> metrics) {
            Double v = metrics.get(metric);
            if (v == null || v.isNaN()) {
                return false;
            }
            return direction == Direction.AT_MOST ? v <= threshold : v >= threshold;
        }

        String shortfall(Map<String, Double> metrics) {
            Double v = metrics.get(metric);
            if (v == null || v.isNaN()) {
                return metric + " not measured";
            }
            double gap = Math.abs(v - threshold);
            double share = threshold == 0 ? 0 : 100 * gap / Math.abs(threshold);
            String how = direction == Direction.AT_MOST ? "over" : "under";
            return String.format(Locale.ROOT, "%s %s by %s %s (%.0f%% %s)", metric, direction == Direction.AT_MOST
                    ? "above" : "below", Fmt.num(gap), unit, share, how);
        }
    }

    /**
     * A peer measured beside us.
     *
     * @param name the peer
     * @param headline its number, in the same form as ours
     * @param ratio how many times better we are: above 1 is ahead (their time over ours, or our
     *     rate over theirs)
     * @param metrics its numbers, by the same names as ours
     */
    record Peer(String name, String headline, double ratio, Map<String, Double> metrics) {
    }

    /** Collects a result. */
    static final class Builder {
        private final String id;
        private final String group;
        private final String scenario;
        private String headline = "";
        private final Map<String, Double> metrics = new LinkedHashMap<>();
        private Latency.@Nullable Summary latency;
        private final List<Target> targets = new ArrayList<>();
        private final List<Peer> peers = new ArrayList<>();
        private String notes = "";
        private long started = System.currentTimeMillis();
        private long ended;

        private Builder(String id, String group, String scenario) {
            this.id = id;
            this.group = group;
            this.scenario = scenario;
        }

        Builder started(long epochMillis) {
            this.started = epochMillis;
            return this;
        }

        Builder ended(long epochMillis) {
            this.ended = epochMillis;
            return this;
        }

        Builder headline(String value) {
            this.headline = value;
            return this;
        }

        Builder metric(String name, double value) {
            metrics.put(name, value);
            return this;
        }

        /** Sets the latency and its metrics {@code p50_ms}, {@code p95_ms}, {@code p99_ms}, {@code mean_ms}. */
        Builder latency(Latency.Summary s) {
            this.latency = s;
            metrics.put("p50_ms", s.p50());
            metrics.put("p95_ms", s.p95());
            metrics.put("p99_ms", s.p99());
            metrics.put("mean_ms", s.mean());
            if (headline.isEmpty()) {
                headline = Fmt.latency(s);
            }
            return this;
        }

        Builder atMost(String metric, double threshold, String unit, String text) {
            targets.add(new Target(metric, Direction.AT_MOST, threshold, unit, text));
            return this;
        }

        Builder atLeast(String metric, double threshold, String unit, String text) {
            targets.add(new Target(metric, Direction.AT_LEAST, threshold, unit, text));
            return this;
        }

        Builder peer(Peer peer) {
            peers.add(peer);
            return this;
        }

        Builder notes(String value) {
            this.notes = value;
            return this;
        }

        Result build() {
            long end = ended == 0 ? System.currentTimeMillis() : ended;
            return new Result(id, group, scenario, headline, Map.copyOf(new LinkedHashMap<>(metrics)), latency,
                    List.copyOf(targets), List.copyOf(peers), notes, started, end);
        }
    }
}
