package dev.agentmemory.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A progress bar for long commands, with the rate and the time left, on standard error. On a
 * terminal it redraws one line; elsewhere (a log, CI) it prints a line every tenth of the work.
 */
public final class Progress implements AutoCloseable {

    private final PrintWriter err;
    private final String label;
    private final long total;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private long lastDrawNanos;
    private int lastTenth = -1;
    private long done;
    private boolean drawn;

    /**
     * @param err where to draw
     * @param label what is being done, e.g. "importing"
     * @param total how many items in all; 0 when unknown
     */
    public Progress(PrintStream err, String label, long total) {
        this(new PrintWriter(err, true), label, total);
    }

    /**
     * @param err where to draw
     * @param label what is being done, e.g. "importing"
     * @param total how many items in all; 0 when unknown
     */
    public Progress(PrintWriter err, String label, long total) {
        this.err = err;
        this.label = label;
        this.total = total;
        this.terminal = System.console() != null;
    }

    /** @param count how many items are done now */
    public void update(long count) {
        done = count;
        long now = System.nanoTime();
        if (terminal) {
            if (now - lastDrawNanos > 100_000_000L || count == total) {
                lastDrawNanos = now;
                err.print("\r" + line() + "   ");
                err.flush();
                drawn = true;
            }
        } else if (total > 0) {
            int tenth = (int) (count * 10 / total);
            if (tenth != lastTenth) {
                lastTenth = tenth;
                err.println(line());
                err.flush();
            }
        }
    }

    String line() {
        double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
        double rate = done / seconds;
        if (total <= 0) {
            return String.format(Locale.ROOT, "%s %d (%.0f/s)", label, done, rate);
        }
        int width = 30;
        int filled = (int) (width * done / total);
        double left = rate > 0 ? (total - done) / rate : 0;
        return String.format(Locale.ROOT, "%s [%s%s] %d/%d %3d%% %.0f/s, %s left", label, "#".repeat(filled),
                " ".repeat(width - filled), done, total, (int) (100 * done / total), rate, duration(left));
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s" : s + "s";
    }

    @Override
    public void close() {
        if (terminal && drawn) {
            err.println();
            err.flush();
        }
    }
}
