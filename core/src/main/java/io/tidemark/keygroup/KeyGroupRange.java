package io.tidemark.keygroup;

import io.tidemark.ConfigurationException;

/**
 * A contiguous, inclusive range of key groups {@code [startKeyGroup, endKeyGroup]}. An empty range has
 * {@code endKeyGroup == startKeyGroup - 1}. Immutable, cold path.
 */
public record KeyGroupRange(int startKeyGroup, int endKeyGroup) {
    public static final KeyGroupRange EMPTY = new KeyGroupRange(0, -1);

    public KeyGroupRange {
        if (startKeyGroup < 0 || endKeyGroup < startKeyGroup - 1) {
            throw new ConfigurationException("invalid key-group range: start=" + startKeyGroup + ", end=" + endKeyGroup
                    + ", need 0 <= start <= end + 1");
        }
    }

    /** The range of every key group of a job with the given max parallelism. */
    public static KeyGroupRange all(int maxParallelism) {
        return new KeyGroupRange(0, maxParallelism - 1);
    }

    public static KeyGroupRange of(int startKeyGroup, int endKeyGroup) {
        return new KeyGroupRange(startKeyGroup, endKeyGroup);
    }

    public int size() {
        return endKeyGroup - startKeyGroup + 1;
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    public boolean contains(int keyGroup) {
        return keyGroup >= startKeyGroup && keyGroup <= endKeyGroup;
    }

    /** The overlap of both ranges, possibly {@link #EMPTY}. */
    public KeyGroupRange intersection(KeyGroupRange other) {
        int start = Math.max(startKeyGroup, other.startKeyGroup);
        int end = Math.min(endKeyGroup, other.endKeyGroup);
        return start <= end ? new KeyGroupRange(start, end) : EMPTY;
    }

    @Override
    public String toString() {
        return isEmpty() ? "[]" : "[" + startKeyGroup + ".." + endKeyGroup + "]";
    }
}
