package dev.agentmemory.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Compares situations field by field: the structured half of recall's ranking.
 *
 * <p>Both maps are flattened to dotted keys. Over the keys both have, each field scores in [0,1]:
 * numbers by {@code 1 - |a - b| / range}, where the range is that field's spread over the query
 * and all candidates being ranked (so a field that spans 0 to 60 and one that spans 1 to 5 weigh
 * alike, with no configuration); strings and booleans 1 when equal (ignoring case), else 0; lists
 * by the overlap of their items. The situation's score is the mean over those shared fields, 0
 * when they share none. A field present on one side only is not compared: agents add and drop
 * fields all the time, and a field the past situation did not record says nothing about how
 * similar it was.
 */
final class SituationSimilarity {

    private final Map<String, Object> query;
    private final Map<String, double[]> ranges = new HashMap<>();

    /**
     * @param query the query situation
     * @param candidates the perceptions of every candidate that will be scored
     */
    SituationSimilarity(Map<String, ?> query, List<Map<String, Object>> candidates) {
        this.query = flatten(query);
        List<Map<String, Object>> all = new ArrayList<>(candidates.size() + 1);
        all.add(this.query);
        for (Map<String, Object> c : candidates) {
            all.add(flatten(c));
        }
        for (Map<String, Object> m : all) {
            for (Map.Entry<String, Object> e : m.entrySet()) {
                Double d = number(e.getValue());
                if (d != null) {
                    double[] r = ranges.computeIfAbsent(e.getKey(), k -> new double[] {d, d});
                    r[0] = Math.min(r[0], d);
                    r[1] = Math.max(r[1], d);
                }
            }
        }
    }

    /**
     * @param perception a candidate's perception
     * @return its structured similarity to the query, in [0,1]
     */
    double score(Map<String, ?> perception) {
        Map<String, Object> other = flatten(perception);
        if (query.isEmpty() && other.isEmpty()) {
            return 1;
        }
        double sum = 0;
        int shared = 0;
        for (Map.Entry<String, Object> q : query.entrySet()) {
            if (other.containsKey(q.getKey())) {
                sum += field(q.getKey(), q.getValue(), other.get(q.getKey()));
                shared++;
            }
        }
        return shared == 0 ? 0 : sum / shared;
    }

    private double field(String key, @Nullable Object a, @Nullable Object b) {
        if (a == null || b == null) {
            return a == b ? 1 : 0;
        }
        Double x = number(a);
        Double y = number(b);
        if (x != null && y != null) {
            double[] r = ranges.get(key);
            double range = r == null ? 0 : r[1] - r[0];
            if (range == 0) {
                return x.equals(y) ? 1 : 0;
            }
            return Math.max(0, 1 - Math.abs(x - y) / range);
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            Set<String> sa = strings(la);
            Set<String> sb = strings(lb);
            if (sa.isEmpty() && sb.isEmpty()) {
                return 1;
            }
            Set<String> union = new HashSet<>(sa);
            union.addAll(sb);
            sa.retainAll(sb);
            return (double) sa.size() / union.size();
        }
        return a.toString().equalsIgnoreCase(b.toString()) ? 1 : 0;
    }

    private static Set<String> strings(List<?> list) {
        Set<String> out = new HashSet<>();
        for (Object o : list) {
            out.add(String.valueOf(o).toLowerCase(Locale.ROOT));
        }
        return out;
    }

    private static @Nullable Double number(@Nullable Object v) {
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? d : null;
        }
        return null;
    }

    static Map<String, Object> flatten(Map<String, ?> map) {
        Map<String, Object> out = new TreeMap<>();
        flatten("", map, out);
        return out;
    }

    private static void flatten(String prefix, Map<String, ?> map, Map<String, Object> out) {
        for (Map.Entry<String, ?> e : map.entrySet()) {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue() instanceof Map<?, ?> m) {
                @SuppressWarnings("unchecked")
                Map<String, ?> child = (Map<String, ?>) m;
                flatten(key, child, out);
            } else {
                out.put(key, e.getValue());
            }
        }
    }
}
