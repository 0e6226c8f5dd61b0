package io.tidemark.memory;

import java.util.Arrays;

/**
 * A small set of snapshot epochs in increasing order (snapshots are begun in epoch order). Owner thread only; grows
 * by doubling, otherwise allocation-free. Sized by the caller's discipline: epochs leave when confirmed (with every
 * older one), or forgotten.
 */
final class EpochList {
    private int[] epochs = new int[8];
    private int count;

    void add(int epoch) {
        if (count == epochs.length) {
            epochs = Arrays.copyOf(epochs, count * 2);
        }
        epochs[count++] = epoch;
    }

    void remove(int epoch) {
        for (int i = 0; i < count; i++) {
            if (epochs[i] == epoch) {
                System.arraycopy(epochs, i + 1, epochs, i, count - i - 1);
                count--;
                return;
            }
        }
    }

    /** Removes every epoch {@code <= epoch}. */
    void removeThrough(int epoch) {
        int keep = 0;
        while (keep < count && epochs[keep] <= epoch) {
            keep++;
        }
        System.arraycopy(epochs, keep, epochs, 0, count - keep);
        count -= keep;
    }

    /** The oldest epoch, or {@code otherwise} when empty. */
    int oldest(int otherwise) {
        return count == 0 ? otherwise : Math.min(otherwise, epochs[0]);
    }

    int size() {
        return count;
    }
}
