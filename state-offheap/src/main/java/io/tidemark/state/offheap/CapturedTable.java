package io.tidemark.state.offheap;

/**
 * The directory of one table as of a snapshot's synchronous part: which page ids hold which logical pages and of what
 * kind. Immutable after capture; read by the snapshot thread.
 */
record CapturedTable(
        int stateIndex,
        int keyGroup,
        byte layout,
        int keyLength,
        int namespaceLength,
        int valueLength,
        long[] pageIds,
        byte[] kinds) {

    static CapturedTable capture(StateTables tables, int keyGroup, TablePages pages) {
        return new CapturedTable(
                tables.stateIndex,
                keyGroup,
                tables.fixed ? StateTables.LAYOUT_FIXED : StateTables.LAYOUT_RECORD,
                tables.keyLength,
                tables.namespaceLength,
                tables.valueLength,
                pages.copyIds(),
                pages.copyKinds());
    }

    /** True for the pages a snapshot stores: entries and blobs (index pages are rebuilt on restore). */
    static boolean stored(byte kind) {
        return kind == TablePages.FIXED || kind == TablePages.DATA || kind == TablePages.BLOB;
    }
}
