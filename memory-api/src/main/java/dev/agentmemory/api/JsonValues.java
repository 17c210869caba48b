package dev.agentmemory.api;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Checks and copies the JSON-like maps that models carry (perception, reasoning, action, outcome,
 * strategy content, session context).
 *
 * <p>A JSON-like value is {@code null}, a {@link String}, a {@link Boolean}, a finite
 * {@link Number}, a {@link List} of JSON-like values or a {@link Map} with {@code String} keys and
 * JSON-like values. The rules, the same for every backend:
 * <ul>
 *   <li>Nesting deeper than {@link #MAX_DEPTH} levels is rejected.</li>
 *   <li>Strings and keys containing the NUL character (U+0000) are rejected: PostgreSQL cannot
 *       store it in {@code text} or {@code jsonb}, and silently escaping it would change the
 *       caller's data.</li>
 *   <li>NaN and infinite numbers are rejected: JSON cannot hold them.</li>
 *   <li>Numbers are put in the form a JSON parser gives back, so that a JSON round trip returns an
 *       equal map: whole numbers become {@code Integer}, {@code Long} or {@code BigInteger} by size,
 *       others {@code Double} (a {@code BigDecimal} that a double cannot hold exactly is kept).</li>
 * </ul>
 * The copy is deep, keeps key order, and cannot be modified.
 */
public final class JsonValues {

    /** The deepest nesting accepted: a map inside a map is depth 2. */
    public static final int MAX_DEPTH = 32;

    private JsonValues() {
    }

    /**
     * Validates {@code map} and returns an unmodifiable deep copy.
     *
     * @param field the field name used in error messages
     * @param map the map to copy
     * @return the checked copy
     * @throws InvalidInputException naming the offending path when a value is not JSON-like
     */
    public static Map<String, Object> copyMap(String field, Map<String, ?> map) {
        if (map == null) {
            throw new InvalidInputException(field, "is required");
        }
        return copyMapAt(field, map, 1);
    }

    /**
     * Like {@link #copyMap} but passes {@code null} through.
     *
     * @param field the field name used in error messages
     * @param map the map to copy, or null
     * @return the checked copy, or null
     */
    public static @Nullable Map<String, Object> copyNullableMap(String field, @Nullable Map<String, ?> map) {
        return map == null ? null : copyMapAt(field, map, 1);
    }

    /**
     * Checks that a plain string holds no NUL character.
     *
     * @param field the field name used in error messages
     * @param value the string
     * @return the string
     */
    public static @Nullable String checkString(String field, @Nullable String value) {
        if (value != null && value.indexOf('\0') >= 0) {
            throw new InvalidInputException(field, "contains a NUL character (U+0000), which cannot be stored");
        }
        return value;
    }

    private static Map<String, Object> copyMapAt(String path, Map<?, ?> map, int depth) {
        if (depth > MAX_DEPTH) {
            throw new InvalidInputException(path, "is nested deeper than " + MAX_DEPTH + " levels");
        }
        Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Object key = e.getKey();
            if (!(key instanceof String k)) {
                throw new InvalidInputException(path, "has a key that is not a string: " + describe(key));
            }
            String childPath = path + "." + k;
            checkString(childPath, k);
            copy.put(k, copyValue(childPath, e.getValue(), depth));
        }
        return Collections.unmodifiableMap(copy);
    }

    private static @Nullable Object copyValue(String path, @Nullable Object value, int depth) {
        if (value == null || value instanceof Boolean) {
            return value;
        }
        if (value instanceof String s) {
            return checkString(path, s);
        }
        if (value instanceof Number n) {
            return canonicalNumber(path, n);
        }
        if (value instanceof Map<?, ?> m) {
            return copyMapAt(path, m, depth + 1);
        }
        if (value instanceof List<?> list) {
            if (depth + 1 > MAX_DEPTH) {
                throw new InvalidInputException(path, "is nested deeper than " + MAX_DEPTH + " levels");
            }
            List<Object> copy = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                copy.add(copyValue(path + "[" + i + "]", list.get(i), depth + 1));
            }
            return Collections.unmodifiableList(copy);
        }
        throw new InvalidInputException(path, "is not a JSON-like value: " + describe(value));
    }

    private static Number canonicalNumber(String path, Number n) {
        if (n instanceof Integer || n instanceof Short || n instanceof Byte) {
            return n.intValue();
        }
        if (n instanceof Long l) {
            return l == l.intValue() ? (Number) l.intValue() : l;
        }
        if (n instanceof BigInteger b) {
            if (b.bitLength() < 32) {
                return b.intValue();
            }
            return b.bitLength() < 64 ? (Number) b.longValue() : b;
        }
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (!Double.isFinite(d)) {
                throw new InvalidInputException(path, "is " + d + ", numbers must be finite");
            }
            // A float widened to double would read back as a different double; go through its
            // decimal text so 2.1f is stored as 2.1, as a JSON parser would give it back.
            return n instanceof Float ? Double.parseDouble(n.toString()) : d;
        }
        if (n instanceof BigDecimal bd) {
            double d = bd.doubleValue();
            if (Double.isFinite(d) && new BigDecimal(Double.toString(d)).compareTo(bd) == 0) {
                return d;
            }
            return bd;
        }
        throw new InvalidInputException(path, "is a number of unsupported type " + n.getClass().getName());
    }

    private static String describe(@Nullable Object value) {
        return value == null ? "null" : value.getClass().getName();
    }
}
