package dev.agentmemory.api;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Arrays;
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
 *   <li>Strings and keys holding an unpaired surrogate (a lone U+D800 to U+DFFF, which is no
 *       Unicode character) are rejected too: encoded as UTF-8 for PostgreSQL it would turn into
 *       {@code ?}, so the value would read back changed.</li>
 *   <li>NaN and infinite numbers are rejected: JSON cannot hold them. A negative zero becomes
 *       {@code 0.0}: {@code jsonb} keeps numbers as {@code numeric}, which has no negative zero.</li>
 *   <li>Numbers are put in the form a JSON parser gives back, so that a JSON round trip returns an
 *       equal map: whole numbers become {@code Integer}, {@code Long} or {@code BigInteger} by size,
 *       others {@code Double} (a {@code BigDecimal} that a double cannot hold exactly is kept; one
 *       that a double cannot hold and that is whole becomes a whole number).</li>
 *   <li>Numbers with more than {@value #MAX_INTEGER_DIGITS} digits before the decimal point or
 *       {@value #MAX_FRACTION_DIGITS} after it are rejected: that is what PostgreSQL's
 *       {@code numeric}, behind {@code jsonb}, holds.</li>
 * </ul>
 * The copy is deep, keeps key order, and cannot be modified.
 */
public final class JsonValues {

    /** The deepest nesting accepted: a map inside a map is depth 2. */
    public static final int MAX_DEPTH = 32;
    /** The most digits before the decimal point a number may have. */
    public static final int MAX_INTEGER_DIGITS = 131_072;
    /** The most digits after the decimal point a number may have. */
    public static final int MAX_FRACTION_DIGITS = 16_383;
    // Every number of at most this many bits has at most 131,072 decimal digits.
    private static final int MAX_INTEGER_BITS = 435_411;

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
     * Checks that a plain string holds no NUL character and no unpaired surrogate, the two things
     * that cannot be stored unchanged (see the class comment). Every string field of the models
     * goes through here, so both backends accept exactly the same strings.
     *
     * @param field the field name used in error messages
     * @param value the string
     * @return the string
     * @throws InvalidInputException naming the field, the character and its index
     */
    public static String checkString(String field, String value) {
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            if (c == '\0') {
                throw new InvalidInputException(field, "contains a NUL character (U+0000), which cannot be stored");
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                    continue;
                }
                throw new InvalidInputException(field, String.format(
                        "contains an unpaired surrogate (U+%04X) at index %d, which is not valid Unicode and cannot be stored",
                        (int) c, i));
            }
        }
        return value;
    }

    private static Map<String, Object> copyMapAt(String path, Map<?, ?> map, int depth) {
        if (map instanceof JsonMap checked && depth + checked.height() - 1 <= MAX_DEPTH) {
            // Made here, so checked and unmodifiable already; only its depth depends on where it goes.
            return checked;
        }
        if (depth > MAX_DEPTH) {
            throw new InvalidInputException(path, "is nested deeper than " + MAX_DEPTH + " levels");
        }
        @Nullable Object[] entries = new Object[2 * map.size()];
        int n = 0;
        int height = 1;
        int[] child = new int[1];
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Object key = e.getKey();
            if (!(key instanceof String k)) {
                throw new InvalidInputException(path, "has a key that is not a string: " + describe(key));
            }
            String childPath = path + "." + k;
            checkString(childPath, k);
            child[0] = 0;
            Object value = copyValue(childPath, e.getValue(), depth, child);
            height = Math.max(height, 1 + child[0]);
            if (2 * n + 1 >= entries.length) {
                entries = Arrays.copyOf(entries, 2 * n + 2); // a map whose size() said less than it held
            }
            entries[2 * n] = k;
            entries[2 * n + 1] = value;
            n++;
        }
        return new JsonMap(2 * n == entries.length ? entries : Arrays.copyOf(entries, 2 * n), height);
    }

    /** @param height set to the levels of maps and lists the copy holds, 0 for a plain value */
    private static @Nullable Object copyValue(String path, @Nullable Object value, int depth, int[] height) {
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
            JsonMap copy = (JsonMap) copyMapAt(path, m, depth + 1);
            height[0] = copy.height();
            return copy;
        }
        if (value instanceof List<?> list) {
            if (depth + 1 > MAX_DEPTH) {
                throw new InvalidInputException(path, "is nested deeper than " + MAX_DEPTH + " levels");
            }
            List<Object> copy = new ArrayList<>(list.size());
            int levels = 1;
            int[] child = new int[1];
            for (int i = 0; i < list.size(); i++) {
                child[0] = 0;
                copy.add(copyValue(path + "[" + i + "]", list.get(i), depth + 1, child));
                levels = Math.max(levels, 1 + child[0]);
            }
            height[0] = levels;
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
            if (b.bitLength() > MAX_INTEGER_BITS) {
                throw new InvalidInputException(path, "has more than " + MAX_INTEGER_DIGITS + " digits, more than can be stored");
            }
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
            if (d == 0) {
                // -0.0 == 0 holds, yet Double.equals tells them apart; numeric stores only 0.
                return 0.0;
            }
            // A float widened to double would read back as a different double; go through its
            // decimal text so 2.1f is stored as 2.1, as a JSON parser would give it back.
            return n instanceof Float ? Double.parseDouble(n.toString()) : d;
        }
        if (n instanceof BigDecimal bd) {
            // Checked before anything expands the number: 1E+999999999 is a short text but a
            // billion digits in plain form.
            if ((long) bd.precision() - bd.scale() > MAX_INTEGER_DIGITS) {
                throw new InvalidInputException(path, "has more than " + MAX_INTEGER_DIGITS
                        + " digits before the decimal point, more than can be stored");
            }
            if (bd.signum() != 0 && bd.scale() > MAX_FRACTION_DIGITS
                    && bd.stripTrailingZeros().scale() > MAX_FRACTION_DIGITS) {
                throw new InvalidInputException(path, "has more than " + MAX_FRACTION_DIGITS
                        + " digits after the decimal point, more than can be stored");
            }
            double d = bd.doubleValue();
            if (Double.isFinite(d) && new BigDecimal(Double.toString(d)).compareTo(bd) == 0) {
                return d == 0 ? 0.0 : d;
            }
            if (bd.stripTrailingZeros().scale() <= 0) {
                // Written in plain form it has no fraction, so it reads back as a whole number.
                return canonicalNumber(path, bd.toBigIntegerExact());
            }
            return bd;
        }
        throw new InvalidInputException(path, "is a number of unsupported type " + n.getClass().getName());
    }

    private static String describe(@Nullable Object value) {
        return value == null ? "null" : value.getClass().getName();
    }
}
