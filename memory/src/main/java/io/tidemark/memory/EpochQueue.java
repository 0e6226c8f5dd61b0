package io.tidemark.memory;

/**
 * A growable FIFO ring of (epoch, value) pairs, pushed in non-decreasing epoch order, so that everything up to an
 * epoch can be taken from the head. Owner thread only. Allocates only when it grows past its largest size so far.
 */
final class EpochQueue {
    private int[] epochs = new int[64];
    private long[] values = new long[64];
    private int head;
    private int size;

    void push(int epoch, long value) {
        if (size == values.length) {
            grow();
        }
        final int tail = (head + size) & (values.length - 1);
        epochs[tail] = epoch;
        values[tail] = value;
        size++;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** Epoch of the head pair; the queue must not be empty. */
    int headEpoch() {
        return epochs[head];
    }

    /** Removes the head pair and returns its value. */
    long pop() {
        final long value = values[head];
        head = (head + 1) & (values.length - 1);
        size--;
        return value;
    }

    private void grow() {
        final int capacity = values.length * 2;
        final int[] grownEpochs = new int[capacity];
        final long[] grownValues = new long[capacity];
        for (int i = 0; i < size; i++) {
            final int from = (head + i) & (values.length - 1);
            grownEpochs[i] = epochs[from];
            grownValues[i] = values[from];
        }
        epochs = grownEpochs;
        values = grownValues;
        head = 0;
    }
}
