package io.tidemark.state.offheap;

import java.util.Arrays;

/**
 * The pages of one table, addressed by logical index: a record reference or a blob chain names a logical index, never a
 * page id, so that a snapshot can be restored into other page ids. Heap side, owner thread; grows by doubling.
 */
final class TablePages {
    static final byte FREE = 0;
    static final byte FIXED = 1;
    static final byte INDEX = 2;
    static final byte DATA = 3;
    static final byte BLOB = 4;

    private long[] ids = new long[4];
    private byte[] kinds = new byte[4];
    private int size;
    private int[] freeSlots = new int[4];
    private int freeCount;

    int add(long pageId, byte kind) {
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
        final long id = ids[logical];
        kinds[logical] = FREE;
        ids[logical] = -1;
        if (freeCount == freeSlots.length) {
            freeSlots = Arrays.copyOf(freeSlots, freeCount * 2);
        }
        freeSlots[freeCount++] = logical;
        return id;
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

    long[] copyIds() {
        return Arrays.copyOf(ids, size);
    }

    byte[] copyKinds() {
        return Arrays.copyOf(kinds, size);
    }
}
