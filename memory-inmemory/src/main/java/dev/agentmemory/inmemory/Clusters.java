package dev.agentmemory.inmemory;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * An inverted-file partition of a {@link VectorIndex}'s slots (IVF): {@link #COUNT} centroids
 * found by spherical k-means on a sample, and for each centroid the slots nearest to it. A search
 * scores the centroids, then scans only the slots of the {@code probes} nearest ones: at 100,000
 * vectors and 12 probes of 256 that reads about a twentieth of them, where an exact scan reads every
 * one (whose bytes, 154 MB at 384 dimensions, memory cannot deliver in 5 ms).
 *
 * <p>The centroids are trained once, when the index first grows past its threshold (k-means on
 * 8,192 sampled vectors, some 5 billion multiply-adds at 384 dimensions: a second or two on two
 * cores, under the write lock of the write that crossed it), and kept: a later vector joins its
 * nearest centroid (one centroid scan, some 100,000 multiply-adds, tens of microseconds), so
 * nothing is rebuilt under the write lock. A vector is always in the cluster of its nearest
 * centroid, so a search with it as the query finds it. Not thread-safe;
 * the index's owner locks.
 */
final class Clusters {

    /** How many centroids: enough that a probe reads a small share, few enough to train in a second. */
    static final int COUNT = 256;
    /**
     * Vectors k-means is trained on, and its rounds: 16 per centroid and 5 rounds gave a recall@10
     * of 0.97 at 8 probes on clustered vectors where 32 and 6 gave 0.997.
     */
    private static final int SAMPLE = COUNT * 32;
    private static final int ITERATIONS = 6;
    private final int dimensions;
    private final float[] centroids;
    private final int[][] members = new int[COUNT][];
    private final int[] memberCount = new int[COUNT];
    private int[] clusterOf = new int[16];
    private int[] position = new int[16];

    private Clusters(int dimensions, float[] centroids) {
        this.dimensions = dimensions;
        this.centroids = centroids;
        for (int c = 0; c < COUNT; c++) {
            members[c] = new int[16];
        }
    }

    /** Where the vectors are, for training and assignment. */
    interface Vectors {
        /** @return the block holding slot {@code slot}'s vector */
        float[] block(int slot);

        /** @return where in its block it starts */
        int offset(int slot);
    }

    /**
     * Trains the centroids on a sample of the first {@code size} slots and assigns all of them.
     * Deterministic: the sample and the first centroids come from a fixed seed.
     */
    static Clusters train(Vectors vectors, int size, int dimensions) {
        Random random = new Random(42);
        int sampleSize = Math.min(size, SAMPLE);
        int[] sample = new int[sampleSize];
        // A partial Fisher-Yates shuffle of 0..size-1 without holding all of it.
        java.util.HashMap<Integer, Integer> swapped = new java.util.HashMap<>();
        for (int i = 0; i < sampleSize; i++) {
            int j = i + random.nextInt(size - i);
            int atJ = swapped.getOrDefault(j, j);
            int atI = swapped.getOrDefault(i, i);
            swapped.put(j, atI);
            sample[i] = atJ;
        }
        int d = dimensions;
        float[] centroids = new float[COUNT * d];
        for (int c = 0; c < COUNT; c++) {
            int slot = sample[c % sampleSize];
            System.arraycopy(vectors.block(slot), vectors.offset(slot), centroids, c * d, d);
        }
        float[] pool = new float[sampleSize * d];
        for (int i = 0; i < sampleSize; i++) {
            System.arraycopy(vectors.block(sample[i]), vectors.offset(sample[i]), pool, i * d, d);
        }
        int[] assigned = new int[sampleSize];
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            float[] current = centroids;
            IntStream.range(0, sampleSize).parallel().forEach(i -> assigned[i] =
                    nearest(current, COUNT, pool, i * d, d));
            double[] sums = new double[COUNT * d];
            for (int i = 0; i < sampleSize; i++) {
                int c = assigned[i];
                float[] block = vectors.block(sample[i]);
                int o = vectors.offset(sample[i]);
                for (int j = 0; j < d; j++) {
                    sums[c * d + j] += block[o + j];
                }
            }
            float[] next = new float[COUNT * d];
            normaliseInto(sums, next, COUNT, d, pool, random);
            centroids = next;
        }
        Clusters clusters = new Clusters(d, centroids);
        int[] nearest = new int[size];
        float[] trained = centroids;
        // The vectors there are now are assigned once, in parallel.
        IntStream.range(0, size).parallel().forEach(slot -> nearest[slot] =
                nearest(trained, COUNT, vectors.block(slot), vectors.offset(slot), d));
        for (int slot = 0; slot < size; slot++) {
            clusters.join(slot, nearest[slot]);
        }
        return clusters;
    }

    /**
     * Sets each of {@code count} centres to its sum scaled to length 1; a centre that gathered
     * nothing restarts at a random vector of {@code fallback} rather than route nothing.
     */
    private static void normaliseInto(double[] sums, float[] centres, int count, int d, float[] fallback, Random random) {
        for (int c = 0; c < count; c++) {
            double norm = 0;
            for (int j = 0; j < d; j++) {
                norm += sums[c * d + j] * sums[c * d + j];
            }
            if (norm == 0) {
                int from = random.nextInt(fallback.length / d);
                System.arraycopy(fallback, from * d, centres, c * d, d);
                continue;
            }
            double inverse = 1 / Math.sqrt(norm);
            for (int j = 0; j < d; j++) {
                centres[c * d + j] = (float) (sums[c * d + j] * inverse);
            }
        }
    }

    private static int nearest(float[] centroids, int count, float[] block, int offset, int d) {
        int best = 0;
        float bestScore = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < count; c++) {
            float score = VectorIndex.dot(centroids, c * d, block, offset, d);
            if (score > bestScore) {
                bestScore = score;
                best = c;
            }
        }
        return best;
    }

    /** Puts a slot whose vector was just written into its nearest cluster. */
    void add(int slot, float[] block, int offset) {
        join(slot, route(block, offset));
    }

    /** @return the cluster of a vector: that of its nearest centroid, so that a vector is found by itself */
    private int route(float[] block, int offset) {
        return nearest(centroids, COUNT, block, offset, dimensions);
    }

    /** Takes a slot out of its cluster, for a vector about to change or go. */
    void leave(int slot) {
        int c = clusterOf[slot];
        int p = position[slot];
        int last = --memberCount[c];
        int moved = members[c][last];
        members[c][p] = moved;
        position[moved] = p;
    }

    /** Records that the vector of slot {@code from} now lives in slot {@code to} (a compaction). */
    void move(int from, int to) {
        int c = clusterOf[from];
        int p = position[from];
        members[c][p] = to;
        clusterOf[to] = c;
        position[to] = p;
    }

    private void join(int slot, int c) {
        if (slot >= clusterOf.length) {
            int grown = Math.max(slot + 1, clusterOf.length * 2);
            clusterOf = Arrays.copyOf(clusterOf, grown);
            position = Arrays.copyOf(position, grown);
        }
        if (memberCount[c] == members[c].length) {
            members[c] = Arrays.copyOf(members[c], members[c].length * 2);
        }
        int p = memberCount[c]++;
        members[c][p] = slot;
        clusterOf[slot] = c;
        position[slot] = p;
    }

    /**
     * @param unitQuery the query, of length 1
     * @param probes how many clusters to read, at most {@link #COUNT}
     * @return the clusters whose centroids are nearest the query, nearest first
     */
    int[] nearestClusters(float[] unitQuery, int probes) {
        TopK top = new TopK(Math.min(probes, COUNT));
        for (int c = 0; c < COUNT; c++) {
            top.offer(VectorIndex.dot(centroids, c * dimensions, unitQuery, 0, dimensions), c);
        }
        return top.slots();
    }

    /** @return the slots of cluster {@code c}: the first {@link #size(int)} entries are valid */
    int[] members(int c) {
        return members[c];
    }

    int size(int c) {
        return memberCount[c];
    }
}
