package dev.agentmemory.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What the hardware allows a row, from the same run's numbers: the bound no code on these cores
 * and this memory can pass, beside which a missed target reads as either our overhead (far from
 * the bound) or the machine's limit (at it). Each bound is plain arithmetic on measured figures
 * (CPU seconds per row, bytes over the memory bandwidth measured here, the model's own rate);
 * {@link #measureBandwidth} measures the one figure no scenario does.
 */
final class Hardware {

    /** Bytes of one float32 and one float16 vector component. */
    static final int FLOAT32 = 4;
    static final int FLOAT16 = 2;
    /** The array header a JVM puts before each vector's floats (compressed class pointers). */
    static final int ARRAY_HEADER = 16;
    /** PostgreSQL's page. */
    static final int PAGE_BYTES = 8192;

    private Hardware() {
    }

    /**
     * @param bytesPerSecond the memory bandwidth
     * @param threads how many threads read
     */
    record Bandwidth(double bytesPerSecond, int threads) {
        double gbPerSecond() {
            return bytesPerSecond / 1e9;
        }
    }

    /**
     * Reads a 128 MB array with {@code threads} threads (each its slice, summing longs, which the
     * JIT vectorises), the best of five passes after two unmeasured: the memory bandwidth an exact
     * scan of vectors can have at most.
     */
    static Bandwidth measureBandwidth(int threads) throws Exception {
        long[] data = new long[16 * 1024 * 1024];
        for (int i = 0; i < data.length; i++) {
            data[i] = i;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> new Thread(r, "bench-bandwidth"));
        try {
            double best = 0;
            long sink = 0;
            for (int pass = 0; pass < 7; pass++) {
                long t0 = System.nanoTime();
                List<Future<Long>> parts = new ArrayList<>();
                int slice = data.length / threads;
                for (int t = 0; t < threads; t++) {
                    int from = t * slice;
                    int to = t == threads - 1 ? data.length : from + slice;
                    parts.add(pool.submit(() -> sum(data, from, to)));
                }
                for (Future<Long> f : parts) {
                    sink += f.get();
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                if (pass >= 2) {
                    best = Math.max(best, data.length * 8.0 / seconds);
                }
            }
            if (sink == 42) {
                System.out.println(sink);
            }
            return new Bandwidth(best, threads);
        } finally {
            pool.shutdownNow();
        }
    }

    private static long sum(long[] a, int from, int to) {
        long s = 0;
        for (int i = from; i < to; i++) {
            s += a[i];
        }
        return s;
    }

    /** @return the bytes of {@code n} vectors of {@code dimensions} components of {@code bytesPer} bytes */
    static double vectorBytes(long n, int dimensions, int bytesPer) {
        return (double) n * dimensions * bytesPer;
    }

    /**
     * @return the least milliseconds one exact scan of {@code n} vectors can take: their bytes over
     *     the memory bandwidth (each vector read once, nothing else done)
     */
    static double scanFloorMs(long n, int dimensions, int bytesPer, double bytesPerSecond) {
        return 1000 * vectorBytes(n, dimensions, bytesPer) / bytesPerSecond;
    }

    /** @return the least milliseconds to read {@code pages} PostgreSQL pages from memory */
    static double pagesFloorMs(long pages, double bytesPerSecond) {
        return 1000.0 * pages * PAGE_BYTES / bytesPerSecond;
    }

    /**
     * @return the most operations (rows, calls) a second {@code cores} cores allow when each costs
     *     {@code cpuSecondsPerOp} of CPU in all (client and server)
     */
    static double cpuBoundRate(int cores, double cpuSecondsPerOp) {
        return cpuSecondsPerOp <= 0 ? Double.POSITIVE_INFINITY : cores / cpuSecondsPerOp;
    }

    /**
     * @return the most agent operations a second the model allows when it embeds
     *     {@code textsPerSecond} in batches and each operation needs {@code embeddingsPerOp} texts
     */
    static double modelBoundOps(double textsPerSecond, double embeddingsPerOp) {
        return embeddingsPerOp <= 0 ? Double.POSITIVE_INFINITY : textsPerSecond / embeddingsPerOp;
    }

    /**
     * The best store-only ratio over a peer the CPU allows us: the peer's CPU per row in all (its
     * server and client time) over ours at its least, the server's HNSW insert alone (our client
     * at no cost). Above the target, the target is reachable by cutting our client's CPU; below
     * it, not on these cores.
     */
    static double bestStoreRatio(double peerCpuPerRow, double oursServerCpuPerRow) {
        return oursServerCpuPerRow <= 0 ? Double.POSITIVE_INFINITY : peerCpuPerRow / oursServerCpuPerRow;
    }

    /**
     * @return the least heap {@code n} episodes' vectors take: the floats and each array's header
     *     (in MiB, as the heap rows count)
     */
    static double vectorHeapMiB(long n, int dimensions, int bytesPer) {
        return (vectorBytes(n, dimensions, bytesPer) + (double) n * ARRAY_HEADER) / 1048576.0;
    }
}
