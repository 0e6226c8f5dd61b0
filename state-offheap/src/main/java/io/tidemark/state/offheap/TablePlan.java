package io.tidemark.state.offheap;

import io.tidemark.backend.snapshot.StreamHandle;

/**
 * What a native snapshot does with each stored page of one captured table: upload it (no reference) or reference the
 * stream, offset and checksum of a confirmed earlier upload. Decided on the owner thread at the synchronous part.
 */
record TablePlan(CapturedTable table, StreamHandle[] references, long[] offsets, int[] checksums) {

    static TablePlan plan(CapturedTable table, java.util.BitSet dirty, UploadLedger ledger, boolean full) {
        final int count = table.kinds().length;
        final StreamHandle[] references = new StreamHandle[count];
        final long[] offsets = new long[count];
        final int[] checksums = new int[count];
        for (int logical = 0; logical < count; logical++) {
            if (!CapturedTable.stored(table.kinds()[logical])) {
                continue;
            }
            final long pageId = table.pageIds()[logical];
            if (full || dirty.get((int) pageId) || ledger.mustUpload(pageId)) {
                continue;
            }
            references[logical] = ledger.stream(pageId);
            offsets[logical] = ledger.offset(pageId);
            checksums[logical] = ledger.checksum(pageId);
        }
        return new TablePlan(table, references, offsets, checksums);
    }
}
