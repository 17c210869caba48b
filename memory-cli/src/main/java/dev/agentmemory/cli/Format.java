package dev.agentmemory.cli;

import dev.agentmemory.api.Episode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/** How values look in tables. */
final class Format {

    private Format() {
    }

    /** @return the action as "key=value" pairs, the decision in one line */
    static String decision(Episode e) {
        return pairs(e.action());
    }

    /** @return a map as "key=value" pairs, nested values as compact JSON */
    static String pairs(Map<String, Object> map) {
        StringJoiner s = new StringJoiner(" ");
        map.forEach((k, v) -> s.add(k + "=" + value(v)));
        return s.toString();
    }

    static String value(@Nullable Object v) {
        if (v instanceof Map<?, ?> || v instanceof List<?>) {
            return Json.write(v);
        }
        return String.valueOf(v);
    }

    /** @return a number in [0,1] with two decimals, or "-" */
    static String unit(@Nullable Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    /** @return how long ago: "40s", "12m", "5h", "3d", "2y"; "now" for the future */
    static String age(Instant then, Instant now) {
        long s = Duration.between(then, now).getSeconds();
        if (s < 0) {
            return "now";
        }
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m";
        }
        if (s < 86_400) {
            return (s / 3600) + "h";
        }
        if (s < 365 * 86_400L) {
            return (s / 86_400) + "d";
        }
        return (s / (365 * 86_400L)) + "y";
    }

    /** @return how long until: "in 5m", or "expired" */
    static String until(Instant when, Instant now) {
        return when.isAfter(now) ? "in " + age(now, when) : "expired";
    }

    static String orDash(@Nullable Object v) {
        return v == null ? "-" : v.toString();
    }
}
