package io.tidemark.state.offheap;

import java.util.Arrays;

/**
 * The pages of one table, addressed by logical index: a record reference or a blob chain names a logical index, never a
 * page id, so that a snapshot can be restored into other page ids. Heap side, owner thread; grows by doubling.
 *
 * <p>Copy-on-write for snapshots: {@link #capture} hands the current arrays to a {@link CapturedTable} in O(1) and marks
 * them shared; the next change copies them first, so the snapshot thread reads the directory as it was at capture
 * while the owner goes on (the copy is O(pages of this table), once per snapshot, and only for a table whose page list
 * changes: growth or a new data page).
 */
final class TablePages {
    static final byte FREE = 0;
    static final byte FIXED = 1;

    private long[] ids = new long[4];
    private byte[] kinds = new byte[4];
    private int size;
    private boolean shared;
    private int[] freeSlots = new int[4];
    private int freeCount;

    /**
     * A directory restored from a snapshot with the same logical layout: logical index {@code i} is page
     * {@code ids[i]} of kind {@code kinds[i]}; {@link #FREE} indexes are reused by later additions.
     */
    static TablePages restored(long[] ids, byte[] kinds) {
        final TablePages pages = new TablePages();
        final int n = ids.length;
        pages.ids = Arrays.copyOf(ids, Math.max(4, n));
        pages.kinds = Arrays.copyOf(kinds, Math.max(4, n));
        pages.size = n;
        pages.freeSlots = new int[Math.max(4, n)];
        for (int logical = n - 1; logical >= 0; logical--) {
            if (kinds[logical] == FREE) {
                pages.ids[logical] = -1;
                pages.freeSlots[pages.freeCount++] = logical;
            }
        }
        return pages;
    }

    int add(long pageId, byte kind) {
        unshare();
        final int logical;
        if (freeCount > 0) {
            logical = freeSlots[--freeCount];
        } else {
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
                kinds = Arrays.copyOf(kinds, size * 2);
            }
            logical = size++;
        }
        ids[logical] = pageId;
        kinds[logical] = kind;
        return logical;
    }

    long remove(int logical) {
        unshare();
        final long id = ids[logical];
        kinds[logical] = FREE;
        ids[logical] = -1;
        if (freeCount == freeSlots.length) {
            freeSlots = Arrays.copyOf(freeSlots, freeCount * 2);
        }
        freeSlots[freeCount++] = logical;
        return id;
    }

    private void unshare() {
        if (shared) {
            ids = ids.clone();
            kinds = kinds.clone();
            shared = false;
        }
    }

    long id(int logical) {
        return ids[logical];
    }

    byte kind(int logical) {
        return kinds[logical];
    }

    /** Logical indexes in use are below this bound. */
    int size() {
        return size;
    }

    /** The directory as of now, for a snapshot: O(1), no copy (see the class comment). */
    CapturedTable capture(StateTables tables, int keyGroup) {
        return capture(tables.stateIndex, keyGroup, tables.geometry);
    }

    /** The directory as of now for state {@code stateIndex} of a snapshot's payload: O(1), no copy. */
    CapturedTable capture(int stateIndex, int keyGroup, FixedTable.Geometry geometry) {
        shared = true;
        return new CapturedTable(stateIndex, keyGroup, geometry, ids, kinds, size);
    }
}
