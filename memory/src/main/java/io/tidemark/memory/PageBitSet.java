package io.tidemark.memory;

import java.util.Arrays;

/**
 * A growable set of page ids, one bit per page. Single-threaded: the owner mutates it; once handed to a snapshot it is
 * frozen and only read until the snapshot ends. Allocates only when {@link #ensureCapacity} grows it.
 */
final class PageBitSet {
    private long[] words = new long[0];

    void ensureCapacity(long pages) {
        final int needed = (int) ((pages + 63) >>> 6);
        if (needed > words.length) {
            words = Arrays.copyOf(words, Math.max(needed, words.length * 2));
        }
    }

    void set(long pageId) {
        words[(int) (pageId >>> 6)] |= 1L << pageId;
    }

    boolean get(long pageId) {
        final int index = (int) (pageId >>> 6);
        return index < words.length && (words[index] & (1L << pageId)) != 0;
    }

    /** Adds every member of {@code other} to this set. */
    void or(PageBitSet other) {
        ensureCapacity((long) other.words.length << 6);
        for (int i = 0; i < other.words.length; i++) {
            words[i] |= other.words[i];
        }
    }

    void clear() {
        Arrays.fill(words, 0L);
    }

    /** The smallest member {@code >= from}, or -1. */
    long nextSetBit(long from) {
        int index = (int) (from >>> 6);
        if (from < 0 || index >= words.length) {
            return -1;
        }
        long word = words[index] & (-1L << from);
        while (true) {
            if (word != 0) {
                return ((long) index << 6) + Long.numberOfTrailingZeros(word);
            }
            if (++index == words.length) {
                return -1;
            }
            word = words[index];
        }
    }
}
