package dev.agentmemory.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * A progress bar for long commands, with the rate and the time left, on standard error. On a
 * terminal it redraws one line; elsewhere (a log, CI) it prints a line at most every
 * {@link #LOG_INTERVAL} and one when the work is done, so a short run leaves one line in a log.
 */
public final class Progress implements AutoCloseable {

    /** How often a line is printed at most when standard error is not a terminal. */
    static final Duration LOG_INTERVAL = Duration.ofSeconds(5);

    private final PrintWriter err;
    private final String label;
    private final long total;
    private final boolean terminal;
    private final long intervalNanos;
    private final long startNanos = System.nanoTime();
    private long lastDrawNanos;
    private long done;
    private boolean drawn;
    private boolean finished;

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
        this(err, label, total, System.console() != null, LOG_INTERVAL);
    }

    /**
     * @param terminal whether {@code err} is a terminal (redrawn) or a log (a line now and then)
     * @param logInterval in a log, the least time between two lines
     */
    Progress(PrintWriter err, String label, long total, boolean terminal, Duration logInterval) {
        this.err = err;
        this.label = label;
        this.total = total;
        this.terminal = terminal;
        this.intervalNanos = logInterval.toNanos();
        this.lastDrawNanos = startNanos;
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
        } else if (!finished) {
            // In a log the end is worth a line, and otherwise a line only every interval.
            boolean end = total > 0 && count >= total;
            if (end || now - lastDrawNanos >= intervalNanos) {
                lastDrawNanos = now;
                finished = end;
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
