package io.tidemark.memory;

import io.tidemark.StateAccessException;

/**
 * The snapshots in flight (begun and not ended), at most {@code maxSnapshotsInFlight}. Answers the owner's two
 * questions: does some snapshot still need a page's live content before the first write of an epoch
 * ({@link #needsVersion}), and which epochs can no in-flight snapshot reach any more ({@link #oldestEpoch},
 * {@link #oldestBase}). Owner thread only; none of it allocates.
 */
final class SnapshotRegistry {
    private final PageSnapshot[] inFlight;
    private int count;

    SnapshotRegistry(int maxSnapshotsInFlight) {
        this.inFlight = new PageSnapshot[maxSnapshotsInFlight];
    }

    /** @throws StateAccessException if the limit is reached, naming the setting. */
    void requireRoom() {
        if (count == inFlight.length) {
            throw new StateAccessException("too many snapshots in flight: maxSnapshotsInFlight=" + inFlight.length
                    + ", inFlight=" + count + ", limit=" + inFlight.length);
        }
    }

    void add(PageSnapshot snapshot) {
        inFlight[count++] = snapshot;
    }

    /** Removes the snapshot; false if it is not in flight. Order among the others is not kept. */
    boolean remove(PageSnapshot snapshot) {
        for (int i = 0; i < count; i++) {
            if (inFlight[i] == snapshot) {
                inFlight[i] = inFlight[--count];
                inFlight[count] = null;
                return true;
            }
        }
        return false;
    }

    /**
     * True if some snapshot in flight still has to read the page's live content, last written in {@code
     * contentEpoch}: the content is that snapshot's version, the page is in its read set and its reader has not
     * captured the page. Slow path of the first write; reads each snapshot's capture bit with acquire semantics.
     */
    boolean needsVersion(long pageId, int contentEpoch) {
        for (int i = 0; i < count; i++) {
            if (inFlight[i].needsVersion(pageId, contentEpoch)) {
                return true;
            }
        }
        return false;
    }

    /** True if some snapshot in flight contains the page (a page with this lifetime word). */
    boolean anyContains(long lifetime) {
        for (int i = 0; i < count; i++) {
            if (PageState.belongsTo(lifetime, inFlight[i].epoch())) {
                return true;
            }
        }
        return false;
    }

    /** The smallest epoch of a snapshot in flight, or {@code otherwise} if none is. */
    int oldestEpoch(int otherwise) {
        int oldest = otherwise;
        for (int i = 0; i < count; i++) {
            oldest = Math.min(oldest, inFlight[i].epoch());
        }
        return oldest;
    }

    /** The smallest non-zero dirty-set base of a snapshot in flight, or {@code otherwise} if none has one. */
    int oldestBase(int otherwise) {
        int oldest = otherwise;
        for (int i = 0; i < count; i++) {
            final int base = inFlight[i].base();
            if (base > 0) {
                oldest = Math.min(oldest, base);
            }
        }
        return oldest;
    }

    int count() {
        return count;
    }

    /** The most recently begun snapshot in flight, or null. */
    PageSnapshot newest() {
        PageSnapshot newest = null;
        for (int i = 0; i < count; i++) {
            if (newest == null || inFlight[i].epoch() > newest.epoch()) {
                newest = inFlight[i];
            }
        }
        return newest;
    }

    /** Ends every snapshot in flight (close). */
    void endAll() {
        while (count > 0) {
            final PageSnapshot snapshot = inFlight[--count];
            inFlight[count] = null;
            snapshot.end();
        }
    }
}
