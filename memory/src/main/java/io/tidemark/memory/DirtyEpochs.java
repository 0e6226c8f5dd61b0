package io.tidemark.memory;

/**
 * Per-epoch dirty sets: the live set of the current epoch, and the frozen sets of earlier epochs that an in-flight
 * snapshot or a future incremental snapshot may still need (contiguous, oldest to newest). Owner thread only.
 *
 * <p>{@link #freeze} is O(1) (it links the live set into the chain and takes a cleared set from the pool, or a new
 * empty one that grows on demand). {@link #dropThrough} clears the dropped sets (O(pages / 64) each) and pools them
 * for reuse: called when snapshots end or are confirmed, never at begin.
 */
final class DirtyEpochs {
    private PageBitSet live = new PageBitSet();
    private DirtySet newest;
    private DirtySet oldest;
    private int retained;
    private PageBitSet[] pool = new PageBitSet[4];
    private int pooled;

    /** Marks the page dirty in the current epoch. */
    void mark(long pageId) {
        live.set(pageId);
    }

    /** Freezes the live set as the set of {@code epoch} (the epoch that is ending) and starts an empty live set. */
    DirtySet freeze(int epoch) {
        final DirtySet frozen = new DirtySet(epoch, live, newest);
        if (newest != null) {
            newest.newer = frozen;
        } else {
            oldest = frozen;
        }
        newest = frozen;
        retained++;
        live = pooled > 0 ? pool[--pooled] : new PageBitSet();
        return frozen;
    }

    /**
     * True if the frozen sets of every epoch in {@code (base, current)} are still retained (the live set holds
     * {@code current}'s pages).
     */
    boolean coversAfter(int base, int current) {
        if (base >= current - 1) {
            return true;
        }
        return oldest != null && oldest.epoch <= base + 1 && newest.epoch >= current - 1;
    }

    /**
     * Makes the live set hold every page id below {@code pages}: a compare unless the store grew. Keeps allocation
     * and first writes from growing the set on the owner's path.
     */
    void ensureCapacity(long pages) {
        live.ensureCapacity(pages);
    }

    /** Drops (clears and pools, sized for {@code pages} ids) the frozen sets of epochs {@code <= epoch}. */
    void dropThrough(int epoch, long pages) {
        while (oldest != null && oldest.epoch <= epoch) {
            final DirtySet dropped = oldest;
            oldest = dropped.newer;
            if (oldest == null) {
                newest = null;
            } else {
                oldest.older = null;
            }
            dropped.newer = null;
            dropped.pages.clear();
            dropped.pages.ensureCapacity(pages);
            if (pooled == pool.length) {
                pool = java.util.Arrays.copyOf(pool, pooled * 2);
            }
            pool[pooled++] = dropped.pages;
            retained--;
        }
    }

    /** Frozen sets retained now. */
    int retained() {
        return retained;
    }
}
