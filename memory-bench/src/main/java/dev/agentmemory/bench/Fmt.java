package dev.agentmemory.bench;

import java.util.Locale;

/** Number formatting for the report: few digits, no locale surprises. */
final class Fmt {

    private Fmt() {
    }

    /** @return the number with about three significant digits */
    static String num(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    static String ms(double v) {
        return num(v) + " ms";
    }

    static String latency(Latency.Summary s) {
        return "p50 " + ms(s.p50()) + " · p95 " + num(s.p95()) + " · p99 " + num(s.p99());
    }

    static String rate(double perSecond, String what) {
        return num(perSecond) + " " + what + "/s";
    }

    /** @return "×2.3" for a ratio above 1, "×0.80 (behind)" below */
    static String ratio(double r) {
        if (Double.isNaN(r) || Double.isInfinite(r)) {
            return "n/a";
        }
        return r >= 1 ? "×" + num(r) + " ahead" : "×" + num(r) + " (behind)";
    }
}
