package dev.agentmemory.inmemory;

import java.util.Arrays;

/**
 * The {@code k} highest scores seen so far, in a primitive min-heap: the root is the lowest score
 * kept, so a candidate is compared with one number and most are rejected without touching the heap.
 */
final class TopK {

    private final int capacity;
    private final float[] scores;
    private final int[] slots;
    private int size;

    TopK(int capacity) {
        this.capacity = capacity;
        this.scores = new float[capacity];
        this.slots = new int[capacity];
    }

    boolean isFull() {
        return size == capacity;
    }

    /** @return the lowest score kept; only meaningful when {@link #isFull()} */
    float min() {
        return scores[0];
    }

    int size() {
        return size;
    }

    void offer(float score, int slot) {
        if (size < capacity) {
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (scores[parent] <= score) {
                    break;
                }
                scores[i] = scores[parent];
                slots[i] = slots[parent];
                i = parent;
            }
            scores[i] = score;
            slots[i] = slot;
        } else if (score > scores[0]) {
            siftDownFromRoot(score, slot);
        }
    }

    private void siftDownFromRoot(float score, int slot) {
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && scores[right] < scores[child]) {
                child = right;
            }
            if (score <= scores[child]) {
                break;
            }
            scores[i] = scores[child];
            slots[i] = slots[child];
            i = child;
        }
        scores[i] = score;
        slots[i] = slot;
    }

    void addAll(TopK other) {
        for (int i = 0; i < other.size; i++) {
            offer(other.scores[i], other.slots[i]);
        }
    }

    /** @return the slots kept, in no particular order */
    int[] slots() {
        return Arrays.copyOf(slots, size);
    }
}
