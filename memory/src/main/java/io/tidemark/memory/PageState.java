package io.tidemark.memory;

/**
 * Encoding of the 64-bit state word every page carries (one slot of its segment's {@code AtomicLongArray}).
 *
 * <pre>
 *   63                36 35 34 33 32 31                               0
 *  +--------------------+-----+--+--+----------------------------------+
 *  |  side page (28)    |kind |R |A |  epoch (32, unsigned)             |
 *  +--------------------+-----+--+--+----------------------------------+
 *
 *  epoch  the store epoch of the last change to the word made by the owner (write, allocation), or, for
 *         kind CAPTURED, the epoch of the snapshot that captured the page
 *  A      ALLOCATED: the page is allocated and may be acquired
 *  R      RETIRED: freed while a snapshot that contains it was in flight; released when the snapshot ends
 *  kind   FRESH     allocated (and zeroed) in epoch; not part of the snapshot that epoch follows
 *         WRITTEN   written in epoch
 *         CAPTURED  the snapshot of epoch has read the live page; the owner may write without a copy
 *         PRESERVED written in epoch; its content as of the previous epoch's snapshot is in side page
 * </pre>
 *
 * <p>With current epoch {@code c} and a snapshot in flight of epoch {@code s = c - 1}, a page that belongs to the
 * snapshot (see {@link #belongsTo}) is SHARED (its live content is the snapshot's content, not yet captured) unless
 * it is {@code CAPTURED} with epoch {@code s} or {@code PRESERVED} with epoch {@code c}. The owner's hot path needs
 * only one compare: a word whose epoch is {@code c} and that is allocated can be written directly.
 *
 * <p>All methods are pure functions; none allocates.
 */
final class PageState {
    static final long EPOCH_MASK = 0xFFFF_FFFFL;
    static final long ALLOCATED = 1L << 32;
    static final long RETIRED = 1L << 33;
    static final int KIND_SHIFT = 34;
    static final long KIND_MASK = 3L << KIND_SHIFT;
    static final int SIDE_PAGE_SHIFT = 36;
    static final int SIDE_PAGE_BITS = 28;
    /** Largest number of pages a store can hold: side page ids must fit in the word. */
    static final long MAX_PAGES = 1L << SIDE_PAGE_BITS;

    static final int FRESH = 0;
    static final int WRITTEN = 1;
    static final int CAPTURED = 2;
    static final int PRESERVED = 3;

    /** The word of a page that is neither allocated nor retired. */
    static final long FREE = 0L;

    /** Bits the owner's fast path compares against {@code epoch | ALLOCATED}. */
    static final long FAST_PATH_MASK = EPOCH_MASK | ALLOCATED;

    private PageState() {}

    static long word(int epoch, int kind, long flags, long sidePage) {
        return (epoch & EPOCH_MASK) | flags | ((long) kind << KIND_SHIFT) | (sidePage << SIDE_PAGE_SHIFT);
    }

    static int epoch(long word) {
        return (int) word;
    }

    static int kind(long word) {
        return (int) ((word & KIND_MASK) >>> KIND_SHIFT);
    }

    static long sidePage(long word) {
        return word >>> SIDE_PAGE_SHIFT;
    }

    static boolean isAllocated(long word) {
        return (word & ALLOCATED) != 0;
    }

    static long flags(long word) {
        return word & (ALLOCATED | RETIRED);
    }

    /** True when the page existed at the begin of the snapshot whose epoch is {@code currentEpoch - 1}. */
    static boolean belongsTo(long word, int currentEpoch) {
        return flags(word) != 0 && !(kind(word) == FRESH && epoch(word) == currentEpoch);
    }

    /** True when the snapshot of epoch {@code currentEpoch - 1} must still see the live content. */
    static boolean isShared(long word, int currentEpoch) {
        final int kind = kind(word);
        final int epoch = epoch(word);
        if (kind == CAPTURED) {
            return epoch != currentEpoch - 1;
        }
        return epoch != currentEpoch;
    }

    /** True when the snapshot of epoch {@code currentEpoch - 1} finds the page's content in a side page. */
    static boolean isPreserved(long word, int currentEpoch) {
        return kind(word) == PRESERVED && epoch(word) == currentEpoch;
    }

    static String describe(long word) {
        return "epoch=" + Integer.toUnsignedString(epoch(word)) + ", kind=" + kind(word) + ", allocated="
                + isAllocated(word) + ", retired=" + ((word & RETIRED) != 0) + ", sidePage=" + sidePage(word);
    }
}
