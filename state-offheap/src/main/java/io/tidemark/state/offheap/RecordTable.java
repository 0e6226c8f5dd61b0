package io.tidemark.state.offheap;

import io.tidemark.StateSizeException;
import io.tidemark.memory.PageCursor;
import io.tidemark.memory.PageStore;
import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Hash table of variable-size records for one (state, key group): index pages ({@link RecordIndex}) map a hash to a
 * record reference, data pages hold the records, blob pages hold values too large to sit in a data page. See
 * {@code docs/spec/offheap-tables.md} for the diagrams.
 *
 * <pre>
 * data page:   kind=3 (1) | unused (3) | used int32 | live int32 | live bytes int32 | record ...
 * record:      keyLength int32 | namespaceLength int32 | valueLength int32 | capacity|flags int32
 *              | key | namespace | value (or blob ref: first blob page int32, unused int32) | padding to 8
 * blob page:   kind=4 (1) | unused (3) | next page int32 (-1 = last) | chunk length int32 | unused int32 | chunk
 * </pre>
 *
 * Page numbers inside the table are logical ({@link TablePages}). An update that fits the record's capacity is done in
 * place; otherwise the record is appended to the tail data page (with 25% slack when it grew) and the old one marked
 * dead. A data page whose live records all died is freed; one less than a quarter live is compacted (its live records
 * move to the tail) and freed; blob chains are freed with their record. Every page an operation needs is allocated
 * before the table changes, so a full store or an oversize key or value fails with the table unchanged.
 *
 * <p>Owner thread only. Lookups do not allocate; growth does.
 */
final class RecordTable {
    static final int KIND_OFFSET = 0;
    static final int DATA_USED_OFFSET = 4;
    static final int DATA_LIVE_OFFSET = 8;
    static final int DATA_LIVE_BYTES_OFFSET = 12;
    static final int DATA_HEADER = 16;
    static final int RECORD_KEY_LENGTH = 0;
    static final int RECORD_NAMESPACE_LENGTH = 4;
    static final int RECORD_VALUE_LENGTH = 8;
    static final int RECORD_CAPACITY = 12;
    static final int RECORD_HEADER = 16;
    static final int DEAD = 1 << 31;
    static final int BLOB = 1 << 30;
    static final int CAPACITY_MASK = BLOB - 1;
    static final int BLOB_NEXT_OFFSET = 4;
    static final int BLOB_LENGTH_OFFSET = 8;
    static final int BLOB_HEADER = 16;
    static final int BLOB_REF_LENGTH = 8;

    private final PageAccess access;
    private final PageStore store;
    private final TablePages pages;
    private final String stateName;
    private final int maxKeyBytes;
    private final int maxValueBytes;
    private final int inlineLimit;
    private final RecordIndex index;
    private long count;
    private int tail = -1;
    private int compactCandidate = -1;
    private org.agrona.concurrent.UnsafeBuffer compactCopy;

    RecordTable(PageAccess access, TablePages pages, String stateName, int maxKeyBytes, int maxValueBytes) {
        this.access = access;
        this.store = access.store;
        this.pages = pages;
        this.stateName = stateName;
        this.maxKeyBytes = maxKeyBytes;
        this.maxValueBytes = maxValueBytes;
        this.inlineLimit = inlineLimit(access.pageSize);
        this.index = new RecordIndex(access, pages);
    }

    /** Largest record (header included) kept in a data page; larger values go to blob pages. */
    static int inlineLimit(int pageSize) {
        return (pageSize - DATA_HEADER) / 2;
    }

    /** The largest key plus namespace a table on pages of {@code pageSize} can hold. */
    static int structuralKeyLimit(int pageSize) {
        return inlineLimit(pageSize) - RECORD_HEADER - BLOB_REF_LENGTH - 8;
    }

    TablePages pages() {
        return pages;
    }

    long count() {
        return count;
    }

    /** Refuses sizes over the limits, before anything changes. */
    void checkSizes(int keyAndNamespaceLength, int valueLength) {
        if (keyAndNamespaceLength > maxKeyBytes) {
            throw new StateSizeException("key too large: state=" + stateName + ", size=" + keyAndNamespaceLength
                    + " (key + namespace bytes), limit=" + maxKeyBytes);
        }
        if (valueLength > maxValueBytes) {
            throw new StateSizeException(
                    "value too large: state=" + stateName + ", size=" + valueLength + ", limit=" + maxValueBytes);
        }
    }

    // ---- lookup ----

    /** The record's reference ({@code page << 32 | offset}) or -1; the index remembers the slot for a change. */
    long find(long hash, DirectBuffer key, int keyLength, DirectBuffer namespace, int namespaceLength) {
        return index.find(hash, this, key, keyLength, namespace, namespaceLength);
    }

    static long ref(int logical, int offset) {
        return ((long) logical << 32) | (offset & 0xFFFF_FFFFL);
    }

    boolean recordMatches(
            int logical, int offset, DirectBuffer key, int keyLength, DirectBuffer namespace, int namespaceLength) {
        final PageCursor cursor = store.acquireRead(pages.id(logical), access.secondary);
        try {
            final DirectBuffer page = cursor.buffer();
            return page.getInt(offset + RECORD_KEY_LENGTH, ByteOrder.LITTLE_ENDIAN) == keyLength
                    && page.getInt(offset + RECORD_NAMESPACE_LENGTH, ByteOrder.LITTLE_ENDIAN) == namespaceLength
                    && Bytes.equal(page, offset + RECORD_HEADER, key, 0, keyLength)
                    && Bytes.equal(page, offset + RECORD_HEADER + keyLength, namespace, 0, namespaceLength);
        } finally {
            cursor.release();
        }
    }

    /** Copies the value of the record {@code ref} into {@code target} at 0 and returns its length. */
    int readValue(long ref, MutableDirectBuffer target) {
        final int logical = (int) (ref >>> 32);
        final int offset = (int) ref;
        final PageCursor cursor = store.acquireRead(pages.id(logical), access.primary);
        final int valueLength;
        final int firstBlob;
        try {
            final DirectBuffer page = cursor.buffer();
            final int capacity = page.getInt(offset + RECORD_CAPACITY, ByteOrder.LITTLE_ENDIAN);
            valueLength = page.getInt(offset + RECORD_VALUE_LENGTH, ByteOrder.LITTLE_ENDIAN);
            final int valueOffset = valueOffset(page, offset);
            if ((capacity & BLOB) == 0) {
                target.putBytes(0, page, valueOffset, valueLength);
                return valueLength;
            }
            firstBlob = page.getInt(valueOffset, ByteOrder.LITTLE_ENDIAN);
        } finally {
            cursor.release();
        }
        int position = 0;
        for (int blob = firstBlob; blob >= 0; ) {
            final DirectBuffer page =
                    store.acquireRead(pages.id(blob), access.primary).buffer();
            try {
                final int chunk = page.getInt(BLOB_LENGTH_OFFSET, ByteOrder.LITTLE_ENDIAN);
                target.putBytes(position, page, BLOB_HEADER, chunk);
                position += chunk;
                blob = page.getInt(BLOB_NEXT_OFFSET, ByteOrder.LITTLE_ENDIAN);
            } finally {
                access.primary.release();
            }
        }
        return valueLength;
    }

    private static int valueOffset(DirectBuffer page, int offset) {
        return offset
                + RECORD_HEADER
                + page.getInt(offset + RECORD_KEY_LENGTH, ByteOrder.LITTLE_ENDIAN)
                + page.getInt(offset + RECORD_NAMESPACE_LENGTH, ByteOrder.LITTLE_ENDIAN);
    }

    // ---- changes ----

    /** Inserts or replaces the record of (key, namespace). */
    void put(
            long hash,
            DirectBuffer key,
            int keyLength,
            DirectBuffer namespace,
            int namespaceLength,
            DirectBuffer value,
            int valueLength) {
        checkSizes(keyLength + namespaceLength, valueLength);
        final long existing = find(hash, key, keyLength, namespace, namespaceLength);
        if (existing >= 0) {
            if (tryOverwrite(existing, keyLength + namespaceLength, value, valueLength)) {
                return;
            }
            final int bucket = index.foundBucket;
            final int slot = index.foundSlot;
            // A record that outgrew its capacity gets 25% slack, so that growing values (list appends) move rarely.
            final int slack = (keyLength + namespaceLength + valueLength) >> 2;
            final long moved = append(key, keyLength, namespace, namespaceLength, value, valueLength, slack);
            index.setRef(bucket, slot, moved);
            kill(existing);
            compactIfSparse();
            return;
        }
        index.growIfNeeded(count);
        final long added = append(key, keyLength, namespace, namespaceLength, value, valueLength, 0);
        index.insert(hash, added);
        count++;
    }

    /** Removes the record of (key, namespace); false when there was none. */
    boolean remove(long hash, DirectBuffer key, int keyLength, DirectBuffer namespace, int namespaceLength) {
        final long existing = find(hash, key, keyLength, namespace, namespaceLength);
        if (existing < 0) {
            return false;
        }
        final int bucket = index.foundBucket;
        final int slot = index.foundSlot;
        kill(existing);
        index.delete(bucket, slot);
        count--;
        compactIfSparse();
        return true;
    }

    private boolean tryOverwrite(long ref, int keyAndNamespace, DirectBuffer value, int valueLength) {
        if (RECORD_HEADER + Bytes.align8(keyAndNamespace + valueLength) > inlineLimit) {
            return false;
        }
        final int offset = (int) ref;
        final PageCursor cursor = store.acquireWrite(pages.id((int) (ref >>> 32)), access.primary);
        try {
            final MutableDirectBuffer page = cursor.mutableBuffer();
            final int capacity = page.getInt(offset + RECORD_CAPACITY, ByteOrder.LITTLE_ENDIAN);
            if ((capacity & BLOB) != 0 || keyAndNamespace + valueLength > (capacity & CAPACITY_MASK)) {
                return false;
            }
            page.putBytes(offset + RECORD_HEADER + keyAndNamespace, value, 0, valueLength);
            page.putInt(offset + RECORD_VALUE_LENGTH, valueLength, ByteOrder.LITTLE_ENDIAN);
            return true;
        } finally {
            cursor.release();
        }
    }

    private long append(
            DirectBuffer key,
            int keyLength,
            DirectBuffer namespace,
            int namespaceLength,
            DirectBuffer value,
            int valueLength,
            int slack) {
        final int keyAndNamespace = keyLength + namespaceLength;
        final boolean blob = RECORD_HEADER + Bytes.align8(keyAndNamespace + valueLength) > inlineLimit;
        final int exact = Bytes.align8(keyAndNamespace + (blob ? BLOB_REF_LENGTH : valueLength));
        final int capacity = blob ? exact : Math.min(Bytes.align8(exact + slack), inlineLimit - RECORD_HEADER);
        final int total = RECORD_HEADER + capacity;
        final int firstBlob = blob ? writeBlob(value, valueLength) : -1;
        try {
            ensureTailRoom(total);
        } catch (RuntimeException | Error ex) {
            freeBlobChain(firstBlob);
            throw ex;
        }
        final PageCursor cursor = store.acquireWrite(pages.id(tail), access.primary);
        try {
            final MutableDirectBuffer page = cursor.mutableBuffer();
            final int offset = page.getInt(DATA_USED_OFFSET, ByteOrder.LITTLE_ENDIAN);
            page.putInt(offset + RECORD_KEY_LENGTH, keyLength, ByteOrder.LITTLE_ENDIAN);
            page.putInt(offset + RECORD_NAMESPACE_LENGTH, namespaceLength, ByteOrder.LITTLE_ENDIAN);
            page.putInt(offset + RECORD_VALUE_LENGTH, valueLength, ByteOrder.LITTLE_ENDIAN);
            page.putInt(offset + RECORD_CAPACITY, capacity | (blob ? BLOB : 0), ByteOrder.LITTLE_ENDIAN);
            page.putBytes(offset + RECORD_HEADER, key, 0, keyLength);
            page.putBytes(offset + RECORD_HEADER + keyLength, namespace, 0, namespaceLength);
            final int valueOffset = offset + RECORD_HEADER + keyAndNamespace;
            if (blob) {
                page.putInt(valueOffset, firstBlob, ByteOrder.LITTLE_ENDIAN);
                page.putInt(valueOffset + 4, 0, ByteOrder.LITTLE_ENDIAN);
            } else {
                page.putBytes(valueOffset, value, 0, valueLength);
            }
            page.putInt(DATA_USED_OFFSET, offset + total, ByteOrder.LITTLE_ENDIAN);
            addLive(page, 1, total);
            return ref(tail, offset);
        } finally {
            cursor.release();
        }
    }

    private void ensureTailRoom(int total) {
        if (tail >= 0) {
            final PageCursor cursor = store.acquireRead(pages.id(tail), access.primary);
            final int used;
            final int live;
            try {
                used = cursor.buffer().getInt(DATA_USED_OFFSET, ByteOrder.LITTLE_ENDIAN);
                live = cursor.buffer().getInt(DATA_LIVE_OFFSET, ByteOrder.LITTLE_ENDIAN);
            } finally {
                cursor.release();
            }
            if (access.pageSize - used >= total) {
                return;
            }
            if (live == 0) {
                store.freePage(pages.remove(tail));
                tail = -1;
            }
        }
        final long id = store.allocatePage();
        final MutableDirectBuffer page = store.acquireWrite(id, access.primary).mutableBuffer();
        page.putByte(KIND_OFFSET, TablePages.DATA);
        page.putInt(DATA_USED_OFFSET, DATA_HEADER, ByteOrder.LITTLE_ENDIAN);
        access.primary.release();
        tail = pages.add(id, TablePages.DATA);
    }

    private int writeBlob(DirectBuffer value, int valueLength) {
        final int chunkSize = access.pageSize - BLOB_HEADER;
        final int count = (valueLength + chunkSize - 1) / chunkSize;
        final long[] ids = new long[count];
        int allocated = 0;
        try {
            for (; allocated < count; allocated++) {
                ids[allocated] = store.allocatePage();
            }
        } catch (RuntimeException | Error ex) {
            for (int i = 0; i < allocated; i++) {
                store.freePage(ids[i]);
            }
            throw ex;
        }
        final int[] logical = new int[count];
        for (int i = 0; i < count; i++) {
            logical[i] = pages.add(ids[i], TablePages.BLOB);
        }
        for (int i = 0; i < count; i++) {
            final MutableDirectBuffer page =
                    store.acquireWrite(ids[i], access.primary).mutableBuffer();
            try {
                final int chunk = Math.min(chunkSize, valueLength - i * chunkSize);
                page.putByte(KIND_OFFSET, TablePages.BLOB);
                page.putInt(BLOB_NEXT_OFFSET, i + 1 < count ? logical[i + 1] : -1, ByteOrder.LITTLE_ENDIAN);
                page.putInt(BLOB_LENGTH_OFFSET, chunk, ByteOrder.LITTLE_ENDIAN);
                page.putBytes(BLOB_HEADER, value, i * chunkSize, chunk);
            } finally {
                access.primary.release();
            }
        }
        return logical[0];
    }

    private void freeBlobChain(int first) {
        for (int blob = first; blob >= 0; ) {
            final long id = pages.id(blob);
            final int next;
            final PageCursor cursor = store.acquireRead(id, access.primary);
            try {
                next = cursor.buffer().getInt(BLOB_NEXT_OFFSET, ByteOrder.LITTLE_ENDIAN);
            } finally {
                cursor.release();
            }
            pages.remove(blob);
            store.freePage(id);
            blob = next;
        }
    }

    /** Marks the record dead, frees its blob chain, and frees its data page when nothing live is left in it. */
    private void kill(long ref) {
        final int logical = (int) (ref >>> 32);
        final int offset = (int) ref;
        final int live;
        final boolean sparse;
        int firstBlob = -1;
        final PageCursor cursor = store.acquireWrite(pages.id(logical), access.primary);
        try {
            final MutableDirectBuffer page = cursor.mutableBuffer();
            final int capacity = page.getInt(offset + RECORD_CAPACITY, ByteOrder.LITTLE_ENDIAN);
            if ((capacity & BLOB) != 0) {
                firstBlob = page.getInt(valueOffset(page, offset), ByteOrder.LITTLE_ENDIAN);
            }
            page.putInt(offset + RECORD_CAPACITY, capacity | DEAD, ByteOrder.LITTLE_ENDIAN);
            live = addLive(page, -1, -(RECORD_HEADER + (capacity & CAPACITY_MASK)));
            sparse = live > 0
                    && logical != tail
                    && page.getInt(DATA_LIVE_BYTES_OFFSET, ByteOrder.LITTLE_ENDIAN) * 4
                            < page.getInt(DATA_USED_OFFSET, ByteOrder.LITTLE_ENDIAN) - DATA_HEADER;
        } finally {
            cursor.release();
        }
        freeBlobChain(firstBlob);
        if (live == 0 && logical != tail) {
            store.freePage(pages.remove(logical));
        } else if (sparse) {
            compactCandidate = logical;
        }
    }

    /** Adds to a data page's live record count and live bytes; returns the new count. */
    private static int addLive(MutableDirectBuffer page, int records, int bytes) {
        final int live = page.getInt(DATA_LIVE_OFFSET, ByteOrder.LITTLE_ENDIAN) + records;
        page.putInt(DATA_LIVE_OFFSET, live, ByteOrder.LITTLE_ENDIAN);
        page.putInt(
                DATA_LIVE_BYTES_OFFSET,
                page.getInt(DATA_LIVE_BYTES_OFFSET, ByteOrder.LITTLE_ENDIAN) + bytes,
                ByteOrder.LITTLE_ENDIAN);
        return live;
    }

    /**
     * Moves the live records of a data page that is less than a quarter live to the tail and frees it. Runs after an
     * operation completed; best effort: if the store is full the records that did not move stay where they are.
     */
    private void compactIfSparse() {
        final int logical = compactCandidate;
        compactCandidate = -1;
        if (logical < 0 || logical == tail || pages.kind(logical) != TablePages.DATA) {
            return;
        }
        if (compactCopy == null) {
            compactCopy = new org.agrona.concurrent.UnsafeBuffer(new byte[access.pageSize]);
        }
        final org.agrona.concurrent.UnsafeBuffer copy = compactCopy;
        final PageCursor source = store.acquireRead(pages.id(logical), access.primary);
        try {
            copy.putBytes(0, source.buffer(), 0, access.pageSize);
        } finally {
            source.release();
        }
        final int used = copy.getInt(DATA_USED_OFFSET, ByteOrder.LITTLE_ENDIAN);
        for (int offset = DATA_HEADER; offset < used; ) {
            final int flags = copy.getInt(offset + RECORD_CAPACITY, ByteOrder.LITTLE_ENDIAN);
            final int total = RECORD_HEADER + (flags & CAPACITY_MASK);
            if ((flags & DEAD) == 0 && !moveRecord(copy, logical, offset, total)) {
                return;
            }
            offset += total;
        }
        store.freePage(pages.remove(logical));
    }

    private boolean moveRecord(DirectBuffer copy, int logical, int offset, int total) {
        try {
            ensureTailRoom(total);
        } catch (StateSizeException ex) {
            return false; // compaction is optional: a full store keeps the sparse page
        }
        final MutableDirectBuffer tailPage =
                store.acquireWrite(pages.id(tail), access.primary).mutableBuffer();
        final int target;
        try {
            target = tailPage.getInt(DATA_USED_OFFSET, ByteOrder.LITTLE_ENDIAN);
            tailPage.putBytes(target, copy, offset, total);
            tailPage.putInt(DATA_USED_OFFSET, target + total, ByteOrder.LITTLE_ENDIAN);
            addLive(tailPage, 1, total);
        } finally {
            access.primary.release();
        }
        final int keyLength = copy.getInt(offset + RECORD_KEY_LENGTH, ByteOrder.LITTLE_ENDIAN);
        final int namespaceLength = copy.getInt(offset + RECORD_NAMESPACE_LENGTH, ByteOrder.LITTLE_ENDIAN);
        final int keyOffset = offset + RECORD_HEADER;
        final long hash = Hashing.combine(
                Hashing.bytes(copy, keyOffset, keyLength),
                namespaceLength == 0 ? 0 : Hashing.bytes(copy, keyOffset + keyLength, namespaceLength),
                namespaceLength);
        index.repoint(hash, logical, offset, ref(tail, target));
        final MutableDirectBuffer page =
                store.acquireWrite(pages.id(logical), access.primary).mutableBuffer();
        try {
            final int flags = page.getInt(offset + RECORD_CAPACITY, ByteOrder.LITTLE_ENDIAN);
            page.putInt(offset + RECORD_CAPACITY, flags | DEAD, ByteOrder.LITTLE_ENDIAN);
            addLive(page, -1, -total);
        } finally {
            access.primary.release();
        }
        return true;
    }
}
