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
    void decode(
            byte layout,
            int keyLength,
            int namespaceLength,
            int valueLength,
            byte[] kinds,
            PageSource source,
            EntrySink sink) {
        final FixedTable.Geometry geometry =
                layout == StateTables.LAYOUT_FIXED ? checkedGeometry(keyLength, namespaceLength, valueLength) : null;
        for (int logical = 0; logical < kinds.length; logical++) {
            if (layout == StateTables.LAYOUT_FIXED && kinds[logical] == TablePages.FIXED) {
                source.load(logical, page);
                FixedTable.forEachEntry(page, geometry, (p, offset) -> {
                    key.wrap(p, offset, keyLength);
                    namespace.wrap(p, offset + keyLength, namespaceLength);
                    value.wrap(p, offset + keyLength + namespaceLength, valueLength);
                    sink.entry(key, keyLength, namespace, namespaceLength, value, valueLength);
                });
            } else if (layout == StateTables.LAYOUT_RECORD && kinds[logical] == TablePages.DATA) {
                source.load(logical, page);
                forEachRecord(page, pageSize, (p, ko, kl, no, nl, vo, vl, blob) -> {
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

    private FixedTable.Geometry checkedGeometry(int keyLength, int namespaceLength, int valueLength) {
        if (keyLength <= 0
                || namespaceLength < 0
                || valueLength <= 0
                || keyLength + namespaceLength + valueLength > pageSize) {
            throw new IllegalStateException("fused table lengths out of range: key=" + keyLength + ", namespace="
                    + namespaceLength + ", value=" + valueLength + ", pageSize=" + pageSize);
        }
        final FixedTable.Geometry geometry = FixedTable.Geometry.of(pageSize, keyLength, namespaceLength, valueLength);
        if (geometry.slotsPerPage() < 2) {
            throw new IllegalStateException("fused table slots do not fit a page: slotStride=" + geometry.slotStride()
                    + ", pageSize=" + pageSize);
        }
        return geometry;
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

    /** Receives one live record of a data page copy. */
    interface RecordVisitor {
        /**
         * @param valueOffset offset of the inline value, or of the blob reference when {@code blob}
         */
        void record(
                DirectBuffer page,
                int keyOffset,
                int keyLength,
                int namespaceOffset,
                int namespaceLength,
                int valueOffset,
                int valueLength,
                boolean blob);
    }

    /**
     * Visits the live records of a data page copy.
     *
     * @throws IllegalStateException if the page's structure is inconsistent
     */
    static void forEachRecord(DirectBuffer page, int pageSize, RecordVisitor visitor) {
        final int used = page.getInt(RecordTable.DATA_USED_OFFSET, ByteOrder.LITTLE_ENDIAN);
        if (used < RecordTable.DATA_HEADER || used > pageSize) {
            throw new IllegalStateException("data page used bytes out of range: used=" + used + ", limit=" + pageSize);
        }
        int offset = RecordTable.DATA_HEADER;
        while (offset < used) {
            if (offset + RecordTable.RECORD_HEADER > used) {
                throw new IllegalStateException("record header past used bytes: offset=" + offset + ", used=" + used);
            }
            final int keyLength = page.getInt(offset + RecordTable.RECORD_KEY_LENGTH, ByteOrder.LITTLE_ENDIAN);
            final int namespaceLength =
                    page.getInt(offset + RecordTable.RECORD_NAMESPACE_LENGTH, ByteOrder.LITTLE_ENDIAN);
            final int valueLength = page.getInt(offset + RecordTable.RECORD_VALUE_LENGTH, ByteOrder.LITTLE_ENDIAN);
            final int flags = page.getInt(offset + RecordTable.RECORD_CAPACITY, ByteOrder.LITTLE_ENDIAN);
            final int capacity = flags & RecordTable.CAPACITY_MASK;
            final int end = offset + RecordTable.RECORD_HEADER + capacity;
            if (end > used || capacity % 8 != 0) {
                throw new IllegalStateException(
                        "record past used bytes: offset=" + offset + ", capacity=" + capacity + ", used=" + used);
            }
            if ((flags & RecordTable.DEAD) == 0) {
                final boolean blob = (flags & RecordTable.BLOB) != 0;
                final int inline = blob ? RecordTable.BLOB_REF_LENGTH : valueLength;
                if (keyLength < 0
                        || namespaceLength < 0
                        || valueLength < 0
                        || (long) keyLength + namespaceLength + inline > capacity) {
                    throw new IllegalStateException("record lengths exceed capacity: offset=" + offset + ", key="
                            + keyLength + ", namespace=" + namespaceLength + ", value=" + valueLength);
                }
                final int keyOffset = offset + RecordTable.RECORD_HEADER;
                visitor.record(
                        page,
                        keyOffset,
                        keyLength,
                        keyOffset + keyLength,
                        namespaceLength,
                        keyOffset + keyLength + namespaceLength,
                        valueLength,
                        blob);
            }
            offset = end;
        }
    }
}
