package io.tidemark.memory;

import java.util.Arrays;

/**
 * A growable set of page ids, one bit per page. Single-threaded: the owner mutates it; once frozen (an epoch's dirty
 * set, see {@link DirtyEpochs}) it is only read until no snapshot can reach it, then cleared and reused. Allocates
 * only when it grows.
 */
final class PageBitSet {
    private long[] words = new long[0];

    void ensureCapacity(long pages) {
        final int needed = (int) ((pages + 63) >>> 6);
        if (needed > words.length) {
            words = Arrays.copyOf(words, Math.max(needed, words.length * 2));
        }
    }

    /** Adds the page, growing the set if needed (a compare unless it must grow). */
    void set(long pageId) {
        final int index = (int) (pageId >>> 6);
        if (index >= words.length) {
            ensureCapacity(pageId + 1);
        }
        words[index] |= 1L << pageId;
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
