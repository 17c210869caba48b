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
 * Vectors packed densely for a brute-force cosine search, with a payload and a project code per
 * slot so that filters run before any vector is read. Past a size it is given, an unfiltered
 * search reads only the clusters nearest the query ({@link Clusters}); a filtered one stays exact.
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
    /** From this many vectors on, an unfiltered search probes clusters; 0: always exact. */
    private final int approximateFrom;
    private final int probes;
    private final List<float[]> blocks = new ArrayList<>();
    private @Nullable Clusters clusters;
    private int[] projects = new int[16];
    private @Nullable Object[] payloads = new Object[16]; // null past size: a removed slot lets go of its payload
    private int size;

    /** An index that always searches exactly. */
    VectorIndex(int dimensions) {
        this(dimensions, 0, Clusters.COUNT);
    }

    /**
     * @param dimensions the size of every vector
     * @param approximateFrom from this many vectors on, an unfiltered search reads only the
     *     {@code probes} clusters nearest the query ({@link Clusters}); 0 keeps every search exact
     * @param probes clusters read by an approximate search, 1 to {@link Clusters#COUNT}
     */
    VectorIndex(int dimensions, int approximateFrom, int probes) {
        this.dimensions = dimensions;
        this.approximateFrom = approximateFrom;
        this.probes = probes;
    }

    /** @return whether the clusters of an approximate search are trained (they are once the size was reached) */
    boolean clustered() {
        return clusters != null;
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
        write(slot, vector);
        Clusters c = clusters;
        if (c != null) {
            c.add(slot, blocks.get(slot >> BLOCK_SHIFT), (slot & BLOCK_MASK) * dimensions);
        } else if (approximates(size)) {
            clusters = Clusters.train(vectors(), size, dimensions);
        }
        return slot;
    }

    // The one rule for when the cluster path applies: 0 (the default) means never, so that the
    // clusters are neither trained nor probed.
    private boolean approximates(int vectors) {
        return approximateFrom > 0 && vectors >= approximateFrom;
    }

    private Clusters.Vectors vectors() {
        return new Clusters.Vectors() {
            @Override
            public float[] block(int slot) {
                return blocks.get(slot >> BLOCK_SHIFT);
            }

            @Override
            public int offset(int slot) {
                return (slot & BLOCK_MASK) * dimensions;
            }
        };
    }

    /**
     * Replaces the vector of a slot. It is kept normalised, computed in double precision, so that a
     * score is one dot product and no magnitude, however large or small, overflows a float sum.
     */
    void set(int slot, float[] vector) {
        Clusters c = clusters;
        if (c != null) {
            c.leave(slot);
        }
        write(slot, vector);
        if (c != null) {
            c.add(slot, blocks.get(slot >> BLOCK_SHIFT), (slot & BLOCK_MASK) * dimensions);
        }
    }

    private void write(int slot, float[] vector) {
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
        Clusters c = clusters;
        if (c != null) {
            c.leave(slot);
            if (slot != last) {
                c.move(last, slot);
            }
        }
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
        Clusters c = clusters;
        if (c != null && approximates(n) && project == NO_PROJECT && filter == null) {
            return probe(c, unitQuery, excludedProject, limit, minScore).slots();
        }
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

    /**
     * The approximate search: the slots of the clusters nearest the query, scored exactly. Only
     * unfiltered searches (or ones excluding a project) come here: a filter that keeps a few
     * slots would find too few of them in a few clusters, and its exact scan is cheap anyway.
     */
    private TopK probe(Clusters c, float[] unitQuery, int excludedProject, int limit, float minScore) {
        TopK top = new TopK(limit);
        float threshold = minScore;
        int dims = dimensions;
        int[] codes = projects;
        for (int cluster : c.nearestClusters(unitQuery, probes)) {
            int[] members = c.members(cluster);
            for (int i = 0, n = c.size(cluster); i < n; i++) {
                int slot = members[i];
                if (codes[slot] == excludedProject) {
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
        }
        return top;
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
        return dot(block, offset, q, 0, dims);
    }

    /** The dot product of {@code dims} floats of {@code a} from {@code ao} and of {@code b} from {@code bo}. */
    static float dot(float[] a, int ao, float[] b, int bo, int dims) {
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
            int o = ao + i;
            int p = bo + i;
            s0 += a[o] * b[p];
            s1 += a[o + 1] * b[p + 1];
            s2 += a[o + 2] * b[p + 2];
            s3 += a[o + 3] * b[p + 3];
            s4 += a[o + 4] * b[p + 4];
            s5 += a[o + 5] * b[p + 5];
            s6 += a[o + 6] * b[p + 6];
            s7 += a[o + 7] * b[p + 7];
        }
        for (; i < dims; i++) {
            s0 += a[ao + i] * b[bo + i];
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
