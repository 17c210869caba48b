package dev.agentmemory.inmemory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Vectors packed densely for an exact brute-force cosine search, with a payload and a project code
 * per slot so that filters run before any vector is read.
 *
 * <p>Vectors live in blocks of {@link #BLOCK_SIZE} rows, each block one contiguous
 * {@code float[]}: the scan reads memory in order, and growing never copies the vectors already
 * held. Slots are dense: removing one moves the last into the hole. Not thread-safe; the owner
 * locks.
 *
 * @param <E> the payload of a slot
 */
final class VectorIndex<E> {

    static final int BLOCK_SHIFT = 10;
    static final int BLOCK_SIZE = 1 << BLOCK_SHIFT;
    private static final int BLOCK_MASK = BLOCK_SIZE - 1;
    /**
     * Below this many vectors a search runs on the calling thread alone. A part of 4,096 vectors
     * takes hundreds of microseconds even at 384 dimensions, far more than handing it to another
     * thread.
     */
    static final int PARALLEL_THRESHOLD = 8_192;
    /** A project code that matches no slot; real codes are 0 or more. */
    static final int NO_PROJECT = -1;

    private final int dimensions;
    private final List<float[]> blocks = new ArrayList<>();
    private int[] projects = new int[16];
    private @Nullable Object[] payloads = new Object[16]; // null past size: a removed slot lets go of its payload
    private int size;

    VectorIndex(int dimensions) {
        this.dimensions = dimensions;
    }

    int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    E payload(int slot) {
        return (E) Objects.requireNonNull(payloads[slot]); // every slot below size holds one
    }

    /**
     * @param project the project code of the payload
     * @param vector a checked, non-zero vector; copied
     * @param payload what the slot stands for
     * @return the slot
     */
    int add(int project, float[] vector, E payload) {
        if (size == payloads.length) {
            int grown = payloads.length * 2;
            projects = Arrays.copyOf(projects, grown);
            payloads = Arrays.copyOf(payloads, grown);
        }
        if ((size >> BLOCK_SHIFT) == blocks.size()) {
            blocks.add(new float[BLOCK_SIZE * dimensions]);
        }
        int slot = size++;
        projects[slot] = project;
        payloads[slot] = payload;
        set(slot, vector);
        return slot;
    }

    /**
     * Replaces the vector of a slot. It is kept normalised, computed in double precision, so that a
     * score is one dot product and no magnitude, however large or small, overflows a float sum.
     */
    void set(int slot, float[] vector) {
        System.arraycopy(unit(vector), 0, blocks.get(slot >> BLOCK_SHIFT), (slot & BLOCK_MASK) * dimensions, dimensions);
    }

    /**
     * @param slot a slot
     * @return a copy of its vector, of length 1
     */
    float[] vector(int slot) {
        float[] out = new float[dimensions];
        System.arraycopy(blocks.get(slot >> BLOCK_SHIFT), (slot & BLOCK_MASK) * dimensions, out, 0, dimensions);
        return out;
    }

    /**
     * The cosine similarity of a slot's vector to a query, in double precision: the value reported,
     * computed for the few results only.
     *
     * @param slot a slot
     * @param unitQuery a query of length 1
     * @return the similarity, within [-1, 1]
     */
    double similarity(int slot, float[] unitQuery) {
        float[] block = blocks.get(slot >> BLOCK_SHIFT);
        int offset = (slot & BLOCK_MASK) * dimensions;
        double sum = 0;
        for (int i = 0; i < dimensions; i++) {
            sum += (double) block[offset + i] * unitQuery[i];
        }
        return Math.max(-1, Math.min(1, sum));
    }

    /**
     * Empties a slot by moving the last slot into it.
     *
     * @param slot the slot to empty
     * @return the payload that now lives in {@code slot}, or null when the last slot was removed
     */
    @Nullable E remove(int slot) {
        int last = --size;
        E moved = null;
        if (slot != last) {
            float[] from = blocks.get(last >> BLOCK_SHIFT);
            float[] to = blocks.get(slot >> BLOCK_SHIFT);
            System.arraycopy(from, (last & BLOCK_MASK) * dimensions, to, (slot & BLOCK_MASK) * dimensions, dimensions);
            projects[slot] = projects[last];
            payloads[slot] = payloads[last];
            moved = payload(slot);
        }
        payloads[last] = null;
        if ((last & BLOCK_MASK) == 0) {
            // The last block became empty: give its memory back.
            blocks.remove(blocks.size() - 1);
        }
        return moved;
    }

    /**
     * The slots whose vectors are closest to {@code query} by cosine, among those that pass the
     * filters.
     *
     * @param unitQuery the query vector, of length 1 (see {@link #unit})
     * @param project only slots with this project code, or {@link #NO_PROJECT} for all
     * @param excludedProject never slots with this code, or {@link #NO_PROJECT}
     * @param filter a further filter on the payload, or null
     * @param limit at most this many
     * @param minScore only slots scoring at least this (cosine, computed in single precision)
     * @return the best slots, in no particular order
     */
    int[] search(float[] unitQuery, int project, int excludedProject, @Nullable Predicate<? super E> filter,
                 int limit, float minScore) {
        int n = size;
        int parts = n < PARALLEL_THRESHOLD ? 1
                : Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), n / (PARALLEL_THRESHOLD / 2)));
        if (parts == 1) {
            return scan(unitQuery, 0, n, project, excludedProject, filter, limit, minScore).slots();
        }
        List<ForkJoinTask<TopK>> forks = new ArrayList<>(parts - 1);
        int chunk = (n + parts - 1) / parts;
        for (int p = 1; p < parts; p++) {
            int from = p * chunk;
            int to = Math.min(n, from + chunk);
            forks.add(ForkJoinPool.commonPool().submit(
                    () -> scan(unitQuery, from, to, project, excludedProject, filter, limit, minScore)));
        }
        TopK merged = scan(unitQuery, 0, Math.min(n, chunk), project, excludedProject, filter, limit, minScore);
        for (ForkJoinTask<TopK> fork : forks) {
            merged.addAll(fork.join());
        }
        return merged.slots();
    }

    private TopK scan(float[] unitQuery, int from, int to, int project, int excludedProject,
                      @Nullable Predicate<? super E> filter, int limit, float minScore) {
        TopK top = new TopK(limit);
        float threshold = minScore;
        int dims = dimensions;
        int[] codes = projects;
        for (int slot = from; slot < to; slot++) {
            int code = codes[slot];
            if ((project != NO_PROJECT && code != project) || code == excludedProject) {
                continue;
            }
            if (filter != null && !filter.test(payload(slot))) {
                continue;
            }
            float score = dot(blocks.get(slot >> BLOCK_SHIFT), (slot & BLOCK_MASK) * dims, unitQuery, dims);
            if (score >= threshold) {
                top.offer(score, slot);
                if (top.isFull()) {
                    threshold = Math.max(minScore, top.min());
                }
            }
        }
        return top;
    }

    /**
     * A dot product with eight independent sums: the JIT does not reorder floating-point additions,
     * so one running sum would wait on the previous addition at every step.
     */
    static float dot(float[] block, int offset, float[] q, int dims) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        float s4 = 0;
        float s5 = 0;
        float s6 = 0;
        float s7 = 0;
        int i = 0;
        for (int end = dims - 7; i < end; i += 8) {
            int o = offset + i;
            s0 += block[o] * q[i];
            s1 += block[o + 1] * q[i + 1];
            s2 += block[o + 2] * q[i + 2];
            s3 += block[o + 3] * q[i + 3];
            s4 += block[o + 4] * q[i + 4];
            s5 += block[o + 5] * q[i + 5];
            s6 += block[o + 6] * q[i + 6];
            s7 += block[o + 7] * q[i + 7];
        }
        for (; i < dims; i++) {
            s0 += block[offset + i] * q[i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /**
     * @param v a non-zero vector
     * @return it scaled to length 1, computed in double precision
     */
    static float[] unit(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        double inverse = 1 / Math.sqrt(sum);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] * inverse);
        }
        return out;
    }
}
