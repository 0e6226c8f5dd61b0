package io.tidemark.memory;

/**
 * The frozen dirty set of the epochs {@code (from, epoch]}: the pages allocated or first written in them. One epoch
 * ({@code from == epoch - 1}) when frozen at a snapshot's begin; several after {@link DirtyEpochs} merged a long run
 * of sets that only future incremental snapshots need. Immutable once frozen; linked to the next older set, so that
 * a snapshot's read set is a walk over a few of these, never a copy.
 *
 * <p>Threads: frozen by the owner at a snapshot's begin and handed to readers with the snapshot (the same
 * happens-before edge). {@link #older} is cut by the owner when the older set is dropped; a reader never follows it
 * below its own base epoch, so it cannot matter whether the reader sees the cut (the read of the field is racy on
 * purpose and harmless: the referenced set was published before the snapshot, and its {@code epoch} is final).
 */
final class DirtySet {
    final int from;
    final int epoch;
    final PageBitSet pages;
    /** The set of {@code epoch - 1}, or null once dropped. */
    DirtySet older;
    /** The set of {@code epoch + 1}, or null for the newest. Owner thread only. */
    DirtySet newer;

    DirtySet(int from, int epoch, PageBitSet pages, DirtySet older) {
        this.from = from;
        this.epoch = epoch;
        this.pages = pages;
        this.older = older;
    }

    /**
     * True if the page is in the set of some epoch in {@code (base, this.epoch]}. Reader or owner; {@code base} is a
     * boundary (no set of the chain spans it).
     */
    boolean anyContains(long pageId, int base) {
        for (DirtySet set = this; set != null && set.epoch > base; set = set.older) {
            if (set.pages.get(pageId)) {
                return true;
            }
        }
        return false;
    }

    /** The smallest member {@code >= from} of the sets of epochs {@code (base, this.epoch]}, or -1. */
    long nextContained(long from, int base) {
        long next = -1;
        for (DirtySet set = this; set != null && set.epoch > base; set = set.older) {
            final long candidate = set.pages.nextSetBit(from);
            if (candidate >= 0 && (next < 0 || candidate < next)) {
                next = candidate;
            }
        }
        return next;
    }
}
