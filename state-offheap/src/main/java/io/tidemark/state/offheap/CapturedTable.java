package io.tidemark.state.offheap;

import java.util.Arrays;

/**
 * The directory of one table as of a snapshot's synchronous part: which page ids hold which logical pages and of what
 * kind. Captured in O(1) on the owner thread (the arrays are the table's own, frozen by copy-on-write in
 * {@link TablePages}); trimmed to their size by the snapshot thread, on first use. Immutable for the snapshot thread.
 */
final class CapturedTable {
    private final int stateIndex;
    private final int keyGroup;
    private final byte layout;
    private final int keyLength;
    private final int namespaceLength;
    private final int valueLength;
    private final long[] sharedIds;
    private final byte[] sharedKinds;
    private final int size;
    private long[] pageIds;
    private byte[] kinds;

    CapturedTable(
            int stateIndex,
            int keyGroup,
            FixedTable.Geometry geometry,
            long[] sharedIds,
            byte[] sharedKinds,
            int size) {
        this.stateIndex = stateIndex;
        this.keyGroup = keyGroup;
        this.layout = StateTables.LAYOUT_FIXED;
        this.keyLength = geometry.keyLength();
        this.namespaceLength = geometry.namespaceLength();
        this.valueLength = geometry.valueLength();
        this.sharedIds = sharedIds;
        this.sharedKinds = sharedKinds;
        this.size = size;
    }

    int stateIndex() {
        return stateIndex;
    }

    int keyGroup() {
        return keyGroup;
    }

    byte layout() {
        return layout;
    }

    int keyLength() {
        return keyLength;
    }

    int namespaceLength() {
        return namespaceLength;
    }

    int valueLength() {
        return valueLength;
    }

    /** Page id per logical index. Snapshot thread. */
    long[] pageIds() {
        if (pageIds == null) {
            pageIds = Arrays.copyOf(sharedIds, size);
        }
        return pageIds;
    }

    /** Page kind per logical index ({@link TablePages#FREE} for unused indexes). Snapshot thread. */
    byte[] kinds() {
        if (kinds == null) {
            kinds = Arrays.copyOf(sharedKinds, size);
        }
        return kinds;
    }

    /** True for the pages a snapshot stores: entries and blobs (index pages are rebuilt on restore). */
    static boolean stored(byte kind) {
        return kind == TablePages.FIXED;
    }
}
