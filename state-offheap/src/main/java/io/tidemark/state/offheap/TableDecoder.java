package io.tidemark.state.offheap;

import io.tidemark.memory.PageCursor;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads the entries of a table from copies of its pages (taken from a page snapshot or read from snapshot streams),
 * without the live table: the snapshot thread's and the restore's view of the layout. One instance per thread; reuses
 * its buffers.
 */
final class TableDecoder {
    /** Copies logical page {@code logical} of the table into {@code target} at 0. */
    interface PageSource {
        void load(int logical, MutableDirectBuffer target);
    }

    /** Receives one entry; the buffers are views valid during the call, each part starting at offset 0. */
    interface EntrySink {
        void entry(
                DirectBuffer key,
                int keyLength,
                DirectBuffer namespace,
                int namespaceLength,
                DirectBuffer value,
                int valueLength);
    }

    private final int pageSize;
    private final UnsafeBuffer page;
    private final UnsafeBuffer key = new UnsafeBuffer(new byte[0]);
    private final UnsafeBuffer namespace = new UnsafeBuffer(new byte[0]);
    private final UnsafeBuffer value = new UnsafeBuffer(new byte[0]);

    TableDecoder(int pageSize) {
        this.pageSize = pageSize;
        this.page = new UnsafeBuffer(new byte[pageSize]);
    }

    /**
     * Visits every entry of a live fused table, reading its pages from the page store on the owner thread (no writer
     * meanwhile).
     */
    void decodeLive(PageAccess access, FixedTable.Geometry geometry, TablePages pages, EntrySink sink) {
        final byte[] kinds = new byte[pages.size()];
        for (int logical = 0; logical < kinds.length; logical++) {
            kinds[logical] = pages.kind(logical);
        }
        final PageCursor cursor = access.primary;
        decode(
                StateTables.LAYOUT_FIXED,
                geometry.keyLength(),
                geometry.namespaceLength(),
                geometry.valueLength(),
                kinds,
                (logical, target) -> {
                    access.store.acquireRead(pages.id(logical), cursor);
                    try {
                        target.putBytes(0, cursor.buffer(), 0, access.pageSize);
                    } finally {
                        cursor.release();
                    }
                },
                sink);
    }

    /**
     * Visits every entry of the table.
     *
     * @throws IllegalStateException if a page's structure is inconsistent
     */
    void decode(
            byte layout,
            int keyLength,
            int namespaceLength,
            int valueLength,
            byte[] kinds,
            PageSource source,
            EntrySink sink) {
        final FixedTable.Geometry geometry = layout == StateTables.LAYOUT_FIXED
                ? FixedTable.Geometry.checked(pageSize, keyLength, namespaceLength, valueLength)
                : null;
        for (int logical = 0; logical < kinds.length; logical++) {
            if (layout == StateTables.LAYOUT_FIXED && kinds[logical] == TablePages.FIXED) {
                source.load(logical, page);
                FixedTable.forEachEntry(page, geometry, (p, offset) -> {
                    key.wrap(p, offset, keyLength);
                    namespace.wrap(p, offset + keyLength, namespaceLength);
                    value.wrap(p, offset + keyLength + namespaceLength, valueLength);
                    sink.entry(key, keyLength, namespace, namespaceLength, value, valueLength);
                });
            }
        }
    }
}
