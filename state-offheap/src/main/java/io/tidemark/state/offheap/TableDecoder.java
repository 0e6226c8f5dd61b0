package io.tidemark.state.offheap;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
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
    private final UnsafeBuffer blobPage;
    private final ExpandableArrayBuffer blobValue = new ExpandableArrayBuffer(1024);
    private final UnsafeBuffer key = new UnsafeBuffer(new byte[0]);
    private final UnsafeBuffer namespace = new UnsafeBuffer(new byte[0]);
    private final UnsafeBuffer value = new UnsafeBuffer(new byte[0]);

    TableDecoder(int pageSize) {
        this.pageSize = pageSize;
        this.page = new UnsafeBuffer(new byte[pageSize]);
        this.blobPage = new UnsafeBuffer(new byte[pageSize]);
    }

    /**
     * Visits every entry of the table.
     *
     * @throws IllegalStateException if a page's structure is inconsistent
     */
    void decode(byte layout, int keyLength, int namespaceLength, byte[] kinds, PageSource source, EntrySink sink) {
        for (int logical = 0; logical < kinds.length; logical++) {
            if (layout == StateTables.LAYOUT_FIXED && kinds[logical] == TablePages.FIXED) {
                source.load(logical, page);
                FixedTable.forEachEntry(page, pageSize, keyLength, namespaceLength, (p, offset) -> {
                    key.wrap(p, offset, keyLength);
                    namespace.wrap(p, offset + keyLength, namespaceLength);
                    value.wrap(p, offset + keyLength + namespaceLength, FixedTable.VALUE_LENGTH);
                    sink.entry(key, keyLength, namespace, namespaceLength, value, FixedTable.VALUE_LENGTH);
                });
            } else if (layout == StateTables.LAYOUT_RECORD && kinds[logical] == TablePages.DATA) {
                source.load(logical, page);
                RecordTable.forEachRecord(page, pageSize, (p, ko, kl, no, nl, vo, vl, blob) -> {
                    key.wrap(p, ko, kl);
                    namespace.wrap(p, no, nl);
                    if (blob) {
                        readBlob(p.getInt(vo, ByteOrder.LITTLE_ENDIAN), vl, kinds, source);
                        value.wrap(blobValue, 0, vl);
                    } else {
                        value.wrap(p, vo, vl);
                    }
                    sink.entry(key, kl, namespace, nl, value, vl);
                });
            }
        }
    }

    private void readBlob(int first, int valueLength, byte[] kinds, PageSource source) {
        int position = 0;
        for (int blob = first; blob >= 0; ) {
            if (blob >= kinds.length || kinds[blob] != TablePages.BLOB) {
                throw new IllegalStateException("blob chain points outside the table's blob pages: page=" + blob);
            }
            source.load(blob, blobPage);
            final int chunk = blobPage.getInt(RecordTable.BLOB_LENGTH_OFFSET, ByteOrder.LITTLE_ENDIAN);
            if (chunk < 0 || chunk > pageSize - RecordTable.BLOB_HEADER || position + chunk > valueLength) {
                throw new IllegalStateException("blob chunk out of range: page=" + blob + ", chunk=" + chunk);
            }
            blobValue.putBytes(position, blobPage, RecordTable.BLOB_HEADER, chunk);
            position += chunk;
            blob = blobPage.getInt(RecordTable.BLOB_NEXT_OFFSET, ByteOrder.LITTLE_ENDIAN);
        }
        if (position != valueLength) {
            throw new IllegalStateException(
                    "blob chain length mismatch: expected=" + valueLength + ", actual=" + position);
        }
    }
}
