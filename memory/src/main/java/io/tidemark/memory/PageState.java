package io.tidemark.memory;

/**
 * Encoding of the 64-bit state word every page carries (one slot of its segment's {@code states} array), and of the
 * 64-bit lifetime word beside it (one slot of {@code lifetimes}).
 *
 * <pre>
 *  state word
 *   63                36 35 34 33 32 31                               0
 *  +--------------------+--+--+--+--+----------------------------------+
 *  | older version (28) |V |H |R |A |  epoch (32)                       |
 *  +--------------------+--+--+--+--+----------------------------------+
 *
 *  epoch   content epoch: the store epoch of the page's allocation or of its last first write in an epoch; for a
 *          version page (V), the content epoch of the version it holds
 *  A       ALLOCATED: allocated by a caller; may be acquired and written
 *  R       RETIRED: freed while a snapshot that contains it was in flight; given back when none can reach it
 *  H       HAS_OLDER: the older-version field holds the id of the next older version of this page's content
 *  V       VERSION: a side page holding a preserved version of another page (never A, never R)
 *
 *  lifetime word
 *   63                                32 31                               0
 *  +------------------------------------+----------------------------------+
 *  | death epoch (0 = alive)            | birth epoch (0 = never allocated)|
 *  +------------------------------------+----------------------------------+
 * </pre>
 *
 * <p>A version chain runs from a live (or retired) page through its side pages, newest first, content epochs strictly
 * decreasing. The reader of snapshot {@code s} takes the newest version whose content epoch is {@code <= s}. A page
 * belongs to snapshot {@code s} when {@code birth <= s} and ({@code death == 0} or {@code death > s}). The owner's hot
 * path needs only one compare: a word whose epoch is the current epoch and that is allocated can be written directly.
 *
 * <p>All methods are pure functions; none allocates.
 */
final class PageState {
    static final long EPOCH_MASK = 0xFFFF_FFFFL;
    static final long ALLOCATED = 1L << 32;
    static final long RETIRED = 1L << 33;
    static final long HAS_OLDER = 1L << 34;
    static final long VERSION = 1L << 35;
    static final int OLDER_SHIFT = 36;
    static final int OLDER_BITS = 28;
    /** Largest number of pages a store can hold: version page ids must fit in the word. */
    static final long MAX_PAGES = 1L << OLDER_BITS;

    /** The word of a page that is neither allocated, retired nor a version. */
    static final long FREE = 0L;

    /** Bits the owner's fast path compares against {@code epoch | ALLOCATED}. */
    static final long FAST_PATH_MASK = EPOCH_MASK | ALLOCATED;

    /** The chain bits of a word: kept when the owner restamps a page's epoch. */
    static final long CHAIN_MASK = HAS_OLDER | (-1L << OLDER_SHIFT);

    private PageState() {}

    static long word(int epoch, long flags) {
        return (epoch & EPOCH_MASK) | flags;
    }

    /** {@code word} with its older-version link set to {@code older}. */
    static long withOlder(long word, long older) {
        return (word & ~CHAIN_MASK) | HAS_OLDER | (older << OLDER_SHIFT);
    }

    /** {@code word} without an older-version link. */
    static long withoutOlder(long word) {
        return word & ~CHAIN_MASK;
    }

    static int epoch(long word) {
        return (int) word;
    }

    static boolean hasOlder(long word) {
        return (word & HAS_OLDER) != 0;
    }

    static long older(long word) {
        return word >>> OLDER_SHIFT;
    }

    static boolean isAllocated(long word) {
        return (word & ALLOCATED) != 0;
    }

    static long lifetime(int birth, int death) {
        return (birth & EPOCH_MASK) | ((long) death << 32);
    }

    /** True when a page with this lifetime word was allocated (or retired) at the begin of snapshot {@code epoch}. */
    static boolean belongsTo(long lifetime, int epoch) {
        final int birth = (int) lifetime;
        final int death = (int) (lifetime >>> 32);
        return birth != 0 && birth <= epoch && (death == 0 || death > epoch);
    }

    static String describe(long word) {
        return "epoch=" + Integer.toUnsignedString(epoch(word)) + ", allocated=" + isAllocated(word) + ", retired="
                + ((word & RETIRED) != 0) + ", version=" + ((word & VERSION) != 0) + ", older="
                + (hasOlder(word) ? Long.toString(older(word)) : "none");
    }
}
