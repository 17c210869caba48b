package dev.agentmemory.core.learning;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Flattens JSON-like maps into dotted paths and writes values as the condition language reads them. */
final class Fields {

    private static final Pattern WORD = Pattern.compile("[A-Za-z_][A-Za-z0-9_.\\-]*");
    private static final List<String> KEYWORDS = List.of("and", "or", "not", "is", "in", "exists", "true", "false", "null");

    private Fields() {
    }

    /**
     * The scalar leaves of {@code map} (strings, numbers, booleans) by dotted path; nested maps
     * are walked, lists and nulls left out (a list is no single value to condition on).
     */
    static Map<String, Object> flatten(Map<String, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        flatten("", map, out, 0);
        return out;
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, Object> out, int depth) {
        if (depth > 8) {
            return;
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = prefix + e.getKey();
            Object v = e.getValue();
            if (v instanceof Map<?, ?> m) {
                flatten(key + ".", m, out, depth + 1);
            } else if (v instanceof String || v instanceof Boolean) {
                out.put(key, v);
            } else if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
                out.put(key, n);
            }
        }
    }

    /** @return whether the condition language can name this key (words, no keyword among them) */
    static boolean nameable(String key) {
        if (key.isEmpty() || key.startsWith(".") || key.endsWith(".") || key.contains("..")) {
            return false;
        }
        for (String word : key.split(" ", -1)) {
            if (!WORD.matcher(word).matches() || KEYWORDS.contains(word.toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }

    /** @return the number as the condition language writes it, exactly as the value prints */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    /** @return the string quoted for the condition language, or null when no quote can hold it */
    static @Nullable String quoted(String s) {
        if (s.indexOf('\'') < 0) {
            return "'" + s + "'";
        }
        if (s.indexOf('"') < 0) {
            return "\"" + s + "\"";
        }
        return null;
    }

    /**
     * A "nice" step (1, 2, 2.5 or 5 times a power of ten) that cuts {@code [min, max]} into about
     * {@code parts} parts. Steps from a fixed grid, not from quantiles, keep thresholds and bins
     * the same as the data grows, so a second consolidation names the same rules.
     */
    static double niceStep(double min, double max, int parts) {
        double raw = (max - min) / parts;
        if (!(raw > 0)) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * power >= raw * (1 - 1e-9)) {
                return m * power;
            }
        }
        return 10 * power;
    }

    /** @return v rounded to the step's grid, without the noise of binary fractions */
    static double onGrid(double v, double step) {
        double k = Math.floor(v / step + 1e-9);
        return new BigDecimal(Double.toString(k * step)).setScale(10, java.math.RoundingMode.HALF_UP)
                .stripTrailingZeros().doubleValue();
    }
}
