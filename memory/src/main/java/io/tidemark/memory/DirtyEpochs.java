package io.tidemark.memory;

/**
 * Per-epoch dirty sets and the read-set bookkeeping: the live set of the current epoch, the frozen sets of earlier
 * epochs that an in-flight snapshot or a future incremental snapshot may still need (contiguous ranges, oldest to
 * newest), the last confirmed epoch and the base each new snapshot gets. Owner thread only.
 *
 * <p>{@link #freeze} is O(1) (it links the live set into the chain and takes a cleared set from the pool, or a new
 * empty one that grows on demand). {@link #dropThrough} clears the dropped sets (O(pages / 64) each) and pools them
 * for reuse, and {@link #mergeAfter} folds a long run of sets after the last confirmed epoch into one (so that
 * thousands of checkpoints without a confirmation keep a bounded number of sets): both are called when snapshots
 * end or are confirmed, never at begin. A merged set is a new object; the sets it replaces are left untouched for
 * the readers that may still walk them and are reclaimed by the garbage collector.
 */
final class DirtyEpochs {
    private PageBitSet live = new PageBitSet();
    private DirtySet newest;
    private DirtySet oldest;
    private int retained;
    /** Every frozen set of an epoch {@code <= droppedThrough} has been dropped; the later ones are retained. */
    private int droppedThrough;

    private PageBitSet[] pool = new PageBitSet[4];
    private int pooled;
    /** Epoch of the newest confirmed snapshot, 0 if none. */
    private int lastConfirmed;
    /** Epoch of the snapshot ended last, 0 if none: while none is confirmed, it may still be confirmed. */
    private int lastEnded;

    /** Marks the page dirty in the current epoch. */
    void mark(long pageId) {
        live.set(pageId);
    }

    /** Freezes the live set as the set of {@code epoch} (the epoch that is ending) and starts an empty live set. */
    DirtySet freeze(int epoch) {
        final DirtySet frozen = new DirtySet(epoch - 1, epoch, live, newest);
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

    int lastConfirmed() {
        return lastConfirmed;
    }

    /** A snapshot ended (registry already updated): drop what nobody can need any more. */
    void ended(int snapshotEpoch, SnapshotRegistry snapshots, int currentEpoch, long pages) {
        lastEnded = snapshotEpoch;
        collect(snapshots, currentEpoch, pages);
    }

    /** A snapshot was confirmed: a no-op if a newer one already was. */
    void confirmed(int snapshotEpoch, SnapshotRegistry snapshots, int currentEpoch, long pages) {
        if (snapshotEpoch > lastConfirmed) {
            lastConfirmed = snapshotEpoch;
            collect(snapshots, currentEpoch, pages);
        }
    }

    /**
     * Drops the sets no snapshot in flight and no future incremental snapshot can need: those of epochs up to the
     * oldest of the last confirmed epoch and the bases of the snapshots in flight. While no snapshot is confirmed,
     * the sets after the snapshots in flight and after the snapshot ended last are kept too, so that confirming one of
     * those later still makes the next incremental snapshot incremental (confirming an older ended one then makes it
     * read every page, which is correct but not incremental). Then merges a long run after the last confirmed epoch.
     */
    private void collect(SnapshotRegistry snapshots, int currentEpoch, long pages) {
        int floor = lastConfirmed;
        if (floor == 0) {
            floor = snapshots.oldestEpoch(lastEnded > 0 ? Math.min(lastEnded, currentEpoch) : currentEpoch);
        }
        dropThrough(snapshots.oldestBase(floor), pages);
        if (lastConfirmed > 0) {
            mergeAfter(lastConfirmed, pages);
        }
    }

    /** Runs of more than this many sets after the last confirmed epoch are merged. */
    static final int MERGE_THRESHOLD = 16;

    /**
     * The base to give a snapshot whose last confirmed epoch is {@code confirmed}: {@code confirmed} itself if it is a
     * boundary between retained sets, the older boundary if a merged set spans it (the read set then also holds
     * pages changed between the two, which is correct), 0 (read every page) if nothing is confirmed or the sets
     * after it were dropped. O(retained sets).
     */
    int baseFor(int confirmed) {
        if (confirmed == 0 || confirmed < droppedThrough) {
            return 0;
        }
        for (DirtySet set = newest; set != null; set = set.older) {
            if (confirmed >= set.epoch) {
                return confirmed;
            }
            if (confirmed > set.from) {
                return set.from;
            }
        }
        return confirmed;
    }

    /** Merges the sets after {@code confirmed}'s boundary into one when there are more than the threshold. */
    private void mergeAfter(int confirmed, long pages) {
        final int base = baseFor(confirmed);
        if (base == 0) {
            return;
        }
        int run = 0;
        DirtySet below = newest;
        while (below != null && below.from >= base) {
            run++;
            below = below.older;
        }
        if (run <= MERGE_THRESHOLD) {
            return;
        }
        final PageBitSet union = new PageBitSet();
        union.ensureCapacity(pages);
        for (DirtySet set = newest; set != below; set = set.older) {
            union.or(set.pages);
        }
        final DirtySet merged = new DirtySet(base, newest.epoch, union, below);
        if (below == null) {
            oldest = merged;
        } else {
            below.newer = merged;
        }
        newest = merged;
        retained -= run - 1;
    }

    /**
     * Makes the live set hold every page id below {@code pages}: a compare unless the store grew. Keeps allocation
     * and first writes from growing the set on the owner's path.
     */
    void ensureCapacity(long pages) {
        live.ensureCapacity(pages);
    }

    /** Drops (clears and pools, sized for {@code pages} ids) the frozen sets of epochs {@code <= epoch}. */
    private void dropThrough(int epoch, long pages) {
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
            droppedThrough = dropped.epoch;
        }
    }

    /** Frozen sets retained now. */
    int retained() {
        return retained;
    }
}
