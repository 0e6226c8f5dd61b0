package io.tidemark.memory;

import java.util.Arrays;

/** A growable stack of longs, single-threaded. Allocates only when it grows past its largest size so far. */
final class LongStack {
    private long[] values = new long[64];
    private int size;

    void push(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    long pop() {
        return values[--size];
    }

    long get(int index) {
        return values[index];
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void clear() {
        size = 0;
    }
}
