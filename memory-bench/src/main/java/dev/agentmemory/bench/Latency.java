package dev.agentmemory.bench;

import java.util.Arrays;

/**
 * Collects durations in nanoseconds and summarises them. Not thread-safe: one per thread, then
 * {@link #merge}.
 */
final class Latency {

    private long[] nanos = new long[1024];
    private int count;

    void record(long durationNanos) {
        if (count == nanos.length) {
            nanos = Arrays.copyOf(nanos, count * 2);
        }
        nanos[count++] = durationNanos;
    }

    /** Times one call and records it. */
    <T> T time(java.util.function.Supplier<T> call) {
        long t0 = System.nanoTime();
        T result = call.get();
        record(System.nanoTime() - t0);
        return result;
    }

    void merge(Latency other) {
        for (int i = 0; i < other.count; i++) {
            record(other.nanos[i]);
        }
    }

    int count() {
        return count;
    }

    /** @return the summary in milliseconds */
    Summary summary() {
        if (count == 0) {
            return new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        double sum = 0;
        for (long n : sorted) {
            sum += n;
        }
        return new Summary(count, sum / count / 1e6, percentile(sorted, 0.50), percentile(sorted, 0.95),
                percentile(sorted, 0.99), sorted[count - 1] / 1e6);
    }

    // Nearest rank: the smallest value at or above the given share of the values.
    private static double percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    /**
     * A latency distribution, in milliseconds.
     *
     * @param count how many calls
     * @param mean their mean
     * @param p50 the median
     * @param p95 the 95th percentile
     * @param p99 the 99th percentile
     * @param max the slowest
     */
    record Summary(int count, double mean, double p50, double p95, double p99, double max) {
    }
}
