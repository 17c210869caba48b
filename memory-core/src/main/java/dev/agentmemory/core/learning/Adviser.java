package dev.agentmemory.core.learning;

import dev.agentmemory.api.Advice;
import dev.agentmemory.api.Episode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Groups the decisions taken in recalled situations by their action values and says how each
 * turned out. Every scalar action field takes part, nested ones by dotted path; a number with
 * many distinct values among the recalled episodes is cut into a few bins of a fixed grid (the
 * advice gives the bin's median), so that 13 and 14 tasks are one decision, not two; a text field
 * whose values are nearly all different (an id, free text) is left out, as are lists. Each
 * episode counts by how close its situation is to the closest one recalled.
 */
public final class Adviser {

    /** A number field with more distinct values than this among the episodes is binned. */
    static final int MAX_DISTINCT_NUMBERS = 4;
    /** Bins a varying number is cut into, about. */
    static final int BINS = 4;

    private Adviser() {
    }

    /**
     * @param recalled the recalled episodes, most similar first; those without an outcome are left out
     * @param limit at most this many pieces of advice
     * @return the advice, most confident first (the lower bound of the expected quality), then by
     *     expected quality and evidence
     */
    public static List<Advice> advise(List<Episode> recalled, int limit) {
        List<Episode> episodes = new ArrayList<>();
        List<Map<String, Object>> actions = new ArrayList<>();
        for (Episode e : recalled) {
            if (e.outcomeQuality() != null && e.episodeId() != null) {
                episodes.add(e);
                actions.add(Fields.flatten(e.action()));
            }
        }
        if (episodes.isEmpty()) {
            return List.of();
        }
        TreeSet<String> keys = new TreeSet<>();
        for (Map<String, Object> a : actions) {
            keys.addAll(a.keySet());
        }
        Map<String, double[]> bins = new TreeMap<>(); // field -> {base, step}
        Set<String> ignored = new HashSet<>();
        for (String key : keys) {
            Set<Object> distinct = new HashSet<>();
            int numbers = 0;
            int present = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (Map<String, Object> a : actions) {
                Object v = a.get(key);
                if (v == null) {
                    continue;
                }
                present++;
                if (v instanceof Number n) {
                    numbers++;
                    distinct.add(n.doubleValue());
                    min = Math.min(min, n.doubleValue());
                    max = Math.max(max, n.doubleValue());
                } else {
                    distinct.add(v instanceof String s ? s.toLowerCase(java.util.Locale.ROOT) : v);
                }
            }
            if (numbers == present && distinct.size() > MAX_DISTINCT_NUMBERS) {
                double step = Fields.niceStep(min, max, BINS);
                bins.put(key, new double[] {Fields.onGrid(min, step), step});
            } else if (numbers < present && distinct.size() > Math.max(3, present / 2)) {
                ignored.add(key);
            }
        }

        double top = 0;
        for (Episode e : episodes) {
            top = Math.max(top, e.similarity() == null ? 0 : e.similarity());
        }
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < episodes.size(); i++) {
            StringBuilder signature = new StringBuilder();
            for (Map.Entry<String, Object> f : new TreeMap<>(actions.get(i)).entrySet()) {
                if (ignored.contains(f.getKey())) {
                    continue;
                }
                double[] bin = bins.get(f.getKey());
                Object token = bin != null && f.getValue() instanceof Number n
                        ? "bin" + (long) Math.floor((n.doubleValue() - bin[0]) / bin[1] + 1e-9)
                        : f.getValue() instanceof String s ? "s:" + s.toLowerCase(java.util.Locale.ROOT)
                        : f.getValue() instanceof Number n ? "n:" + n.doubleValue() : "v:" + f.getValue();
                signature.append(f.getKey()).append('=').append(token).append('\u0000');
            }
            groups.computeIfAbsent(signature.toString(), k -> new ArrayList<>()).add(i);
        }

        record Scored(String signature, Advice advice) {
        }
        List<Scored> scored = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> g : groups.entrySet()) {
            List<Integer> members = g.getValue();
            double weights = 0;
            double squares = 0;
            double sum = 0;
            List<UUID> ids = new ArrayList<>(members.size());
            for (int i : members) {
                double w = weight(episodes.get(i), top);
                weights += w;
                squares += w * w;
                sum += w * Objects.requireNonNull(episodes.get(i).outcomeQuality(), "grouped episodes have an outcome");
                ids.add(episodes.get(i).episodeId());
            }
            int n = members.size();
            double mean = Math.max(0, Math.min(1, sum / weights));
            // The bound counts the episodes as many as their weights are worth (Kish's effective size).
            double effective = weights * weights / squares;
            double lower = Stats.wilsonLower(mean * effective, effective, Stats.Z95);
            Map<String, Object> action = action(members, actions, ignored, bins);
            scored.add(new Scored(g.getKey(), new Advice(action, round(mean), round(lower), n, ids)));
        }
        scored.sort(Comparator.comparingDouble((Scored s) -> s.advice.confidence()).reversed()
                .thenComparing(Comparator.comparingDouble((Scored s) -> s.advice.expectedQuality()).reversed())
                .thenComparing(Comparator.comparingInt((Scored s) -> s.advice.evidence()).reversed())
                .thenComparing(Scored::signature));
        List<Advice> out = new ArrayList<>();
        for (Scored s : scored.subList(0, Math.min(limit, scored.size()))) {
            out.add(s.advice);
        }
        return out;
    }

    // The group's action: its shared values as the first member wrote them, a binned number as
    // the median of the members' values, nested back into maps for dotted fields.
    private static Map<String, Object> action(List<Integer> members, List<Map<String, Object>> actions,
                                              Set<String> ignored, Map<String, double[]> bins) {
        Map<String, Object> first = actions.get(members.get(0));
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> f : first.entrySet()) {
            if (ignored.contains(f.getKey())) {
                continue;
            }
            Object value = f.getValue();
            if (bins.containsKey(f.getKey())) {
                List<Double> values = new ArrayList<>();
                for (int i : members) {
                    if (actions.get(i).get(f.getKey()) instanceof Number n) {
                        values.add(n.doubleValue());
                    }
                }
                value = median(values);
            }
            put(out, f.getKey(), value);
        }
        return out;
    }

    // The closer a situation to the most similar one, the more its outcome counts: a recall of a
    // few dozen reaches situations that are only loosely alike.
    private static double weight(Episode e, double top) {
        double sim = e.similarity() == null ? top : e.similarity();
        return Math.exp(-(top - sim) / SIMILARITY_SCALE);
    }

    /** A situation this much less similar than the closest counts 1/e as much. */
    static final double SIMILARITY_SCALE = 0.03;

    @SuppressWarnings("unchecked")
    static void put(Map<String, Object> out, String dotted, Object value) {
        String[] parts = dotted.split("\\.");
        Map<String, Object> at = out;
        for (int i = 0; i < parts.length - 1; i++) {
            Object next = at.get(parts[i]);
            if (!(next instanceof Map)) {
                next = new LinkedHashMap<String, Object>();
                at.put(parts[i], next);
            }
            at = (Map<String, Object>) next;
        }
        at.put(parts[parts.length - 1], value);
    }

    private static Object median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double m = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        boolean integral = true;
        for (double v : sorted) {
            integral &= v == Math.rint(v);
        }
        return integral ? (Object) Math.round(m) : (Object) round(m);
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
