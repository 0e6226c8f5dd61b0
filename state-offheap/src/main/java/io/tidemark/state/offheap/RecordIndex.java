package io.tidemark.state.offheap;

import io.tidemark.StateSizeException;
import io.tidemark.memory.PageCursor;
import io.tidemark.memory.PageStore;
import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The index of a {@link RecordTable}: bucket pages of 16-byte slots mapping a 64-bit hash to a record reference.
 *
 * <pre>
 * index page:  kind=2 (1) | unused (3) | count int32 (4) | slot * n      slot = hash int64 | page+1 int32 | offset int32
 * </pre>
 *
 * The high 32 bits of the hash pick the bucket page, the low 32 bits the home slot; linear probing stays in the page and
 * deletion shifts followers back (no tombstones). The index grows by a quarter more pages (more if a page would still
 * overflow) at load {@value #MAX_LOAD}, or {@value #MAX_PAGE_LOAD} in one page, rehashing from the stored hashes
 * without reading records. Owner thread only; nothing allocates except growth.
 */
final class RecordIndex {
    static final int KIND_OFFSET = 0;
    static final int INDEX_COUNT_OFFSET = 4;
    static final int INDEX_SLOTS_OFFSET = 8;
    static final int INDEX_SLOT_SIZE = 16;
    static final double MAX_LOAD = 0.75;
    static final double MAX_PAGE_LOAD = 0.9;

    private final PageAccess access;
    private final PageStore store;
    private final TablePages pages;
    private final int slotsPerPage;
    private final int maxPerPage;
    private int[] buckets = new int[0];
    private long[] bucketIds = new long[0];
    private long maxCount;

    /** Set by {@link #find}: the bucket and slot of the hit, or of the free slot ({@code -slot - 1}) of a miss. */
    int foundBucket;

    int foundSlot;
    private int foundBucketCount;

    RecordIndex(PageAccess access, TablePages pages) {
        this.access = access;
        this.store = access.store;
        this.pages = pages;
        this.slotsPerPage = (access.pageSize - INDEX_SLOTS_OFFSET) / INDEX_SLOT_SIZE;
        this.maxPerPage = (int) (slotsPerPage * MAX_PAGE_LOAD);
    }

    /** The record's reference ({@code page << 32 | offset}) or -1; remembers the index slot for a following change. */
    long find(
            long hash,
            RecordTable table,
            DirectBuffer key,
            int keyLength,
            DirectBuffer namespace,
            int namespaceLength) {
        foundBucket = -1;
        foundSlot = -1;
        foundBucketCount = 0;
        if (buckets.length == 0) {
            return -1;
        }
        final int bucket = bucketOf(hash);
        final PageCursor cursor = store.acquireRead(bucketIds[bucket], access.primary);
        try {
            final DirectBuffer page = cursor.buffer();
            int slot = Hashing.range((int) hash, slotsPerPage);
            while (true) {
                final int offset = INDEX_SLOTS_OFFSET + slot * INDEX_SLOT_SIZE;
                final int pagePlusOne = page.getInt(offset + 8, ByteOrder.LITTLE_ENDIAN);
                if (pagePlusOne == 0) {
                    foundBucket = bucket;
                    foundSlot = -slot - 1;
                    foundBucketCount = page.getInt(INDEX_COUNT_OFFSET, ByteOrder.LITTLE_ENDIAN);
                    return -1;
                }
                if (page.getLong(offset, ByteOrder.LITTLE_ENDIAN) == hash) {
                    final int recordOffset = page.getInt(offset + 12, ByteOrder.LITTLE_ENDIAN);
                    if (table.recordMatches(
                            pagePlusOne - 1, recordOffset, key, keyLength, namespace, namespaceLength)) {
                        foundBucket = bucket;
                        foundSlot = slot;
                        return RecordTable.ref(pagePlusOne - 1, recordOffset);
                    }
                }
                if (++slot == slotsPerPage) {
                    slot = 0;
                }
            }
        } finally {
            cursor.release();
        }
    }

    /** Grows the index if one more entry would pass the load limits; call after a missed {@link #find}. */
    void growIfNeeded(long count) {
        if (buckets.length == 0 || count + 1 > maxCount || foundBucketCount + 1 > maxPerPage) {
            grow();
        }
    }

    private int bucketOf(long hash) {
        return Hashing.range((int) (hash >>> 32), buckets.length);
    }

    /** Points slot {@code slot} of bucket {@code bucket} (from {@link #find}) at another record. */
    void setRef(int bucket, int slot, long ref) {
        final MutableDirectBuffer page =
                store.acquireWrite(bucketIds[bucket], access.primary).mutableBuffer();
        try {
            final int offset = INDEX_SLOTS_OFFSET + slot * INDEX_SLOT_SIZE;
            page.putInt(offset + 8, (int) (ref >>> 32) + 1, ByteOrder.LITTLE_ENDIAN);
            page.putInt(offset + 12, (int) ref, ByteOrder.LITTLE_ENDIAN);
        } finally {
            access.primary.release();
        }
    }

    /** Adds a slot for a new record; call {@link #growIfNeeded} first. */
    void insert(long hash, long ref) {
        insertSlot(bucketIds[bucketOf(hash)], hash, (int) (ref >>> 32) + 1, (int) ref);
    }

    private void insertSlot(long pageId, long hash, int pagePlusOne, int offset) {
        final MutableDirectBuffer page =
                store.acquireWrite(pageId, access.secondary).mutableBuffer();
        try {
            int slot = Hashing.range((int) hash, slotsPerPage);
            while (page.getInt(INDEX_SLOTS_OFFSET + slot * INDEX_SLOT_SIZE + 8, ByteOrder.LITTLE_ENDIAN) != 0) {
                if (++slot == slotsPerPage) {
                    slot = 0;
                }
            }
            final int at = INDEX_SLOTS_OFFSET + slot * INDEX_SLOT_SIZE;
            page.putLong(at, hash, ByteOrder.LITTLE_ENDIAN);
            page.putInt(at + 8, pagePlusOne, ByteOrder.LITTLE_ENDIAN);
            page.putInt(at + 12, offset, ByteOrder.LITTLE_ENDIAN);
            page.putInt(
                    INDEX_COUNT_OFFSET,
                    page.getInt(INDEX_COUNT_OFFSET, ByteOrder.LITTLE_ENDIAN) + 1,
                    ByteOrder.LITTLE_ENDIAN);
        } finally {
            access.secondary.release();
        }
    }

    /** Empties slot {@code slot} of bucket {@code bucket} (from {@link #find}), backward-shifting its followers. */
    void delete(int bucket, int slot) {
        final MutableDirectBuffer page =
                store.acquireWrite(bucketIds[bucket], access.primary).mutableBuffer();
        try {
            int hole = slot;
            int next = slot;
            while (true) {
                if (++next == slotsPerPage) {
                    next = 0;
                }
                final int at = INDEX_SLOTS_OFFSET + next * INDEX_SLOT_SIZE;
                if (page.getInt(at + 8, ByteOrder.LITTLE_ENDIAN) == 0) {
                    break;
                }
                final int home = Hashing.range((int) page.getLong(at, ByteOrder.LITTLE_ENDIAN), slotsPerPage);
                final boolean stays = hole < next ? home > hole && home <= next : home > hole || home <= next;
                if (!stays) {
                    page.putBytes(INDEX_SLOTS_OFFSET + hole * INDEX_SLOT_SIZE, page, at, INDEX_SLOT_SIZE);
                    hole = next;
                }
            }
            page.setMemory(INDEX_SLOTS_OFFSET + hole * INDEX_SLOT_SIZE, INDEX_SLOT_SIZE, (byte) 0);
            page.putInt(
                    INDEX_COUNT_OFFSET,
                    page.getInt(INDEX_COUNT_OFFSET, ByteOrder.LITTLE_ENDIAN) - 1,
                    ByteOrder.LITTLE_ENDIAN);
        } finally {
            access.primary.release();
        }
    }

    private void grow() {
        final int oldCount = buckets.length;
        int newCount = oldCount == 0 ? 1 : oldCount + Math.max(1, oldCount >> 2);
        // Slots are spread by the high hash bits: make sure no new page would overflow, whatever the skew.
        while (oldCount > 0 && fullestBucket(newCount) > maxPerPage) {
            newCount += Math.max(1, newCount >> 2);
            if (newCount > Math.max(4 * oldCount, 64)) {
                throw new StateSizeException("hash index cannot spread its entries over pages (crafted keys?): "
                        + "pages=" + oldCount + ", limit=" + maxPerPage + " per page");
            }
        }
        final long[] newIds = new long[newCount];
        int allocated = 0;
        try {
            for (; allocated < newCount; allocated++) {
                newIds[allocated] = store.allocatePage();
            }
        } catch (RuntimeException | Error ex) {
            for (int i = 0; i < allocated; i++) {
                store.freePage(newIds[i]);
            }
            throw ex;
        }
        for (long id : newIds) {
            store.acquireWrite(id, access.secondary).mutableBuffer().putByte(KIND_OFFSET, TablePages.INDEX);
            access.secondary.release();
        }
        for (int b = 0; b < oldCount; b++) {
            final DirectBuffer page =
                    store.acquireRead(bucketIds[b], access.primary).buffer();
            try {
                for (int slot = 0; slot < slotsPerPage; slot++) {
                    final int at = INDEX_SLOTS_OFFSET + slot * INDEX_SLOT_SIZE;
                    final int pagePlusOne = page.getInt(at + 8, ByteOrder.LITTLE_ENDIAN);
                    if (pagePlusOne != 0) {
                        final long hash = page.getLong(at, ByteOrder.LITTLE_ENDIAN);
                        final long target = newIds[Hashing.range((int) (hash >>> 32), newCount)];
                        insertSlot(target, hash, pagePlusOne, page.getInt(at + 12, ByteOrder.LITTLE_ENDIAN));
                    }
                }
            } finally {
                access.primary.release();
            }
        }
        for (int b = 0; b < oldCount; b++) {
            pages.remove(buckets[b]);
            store.freePage(bucketIds[b]);
        }
        final int[] newBuckets = new int[newCount];
        for (int b = 0; b < newCount; b++) {
            newBuckets[b] = pages.add(newIds[b], TablePages.INDEX);
        }
        buckets = newBuckets;
        bucketIds = newIds;
        maxCount = (long) (MAX_LOAD * slotsPerPage * newCount);
    }

    private int fullestBucket(int newCount) {
        final int[] counts = new int[newCount];
        int fullest = 0;
        for (int b = 0; b < buckets.length; b++) {
            final DirectBuffer page =
                    store.acquireRead(bucketIds[b], access.primary).buffer();
            try {
                for (int slot = 0; slot < slotsPerPage; slot++) {
                    final int at = INDEX_SLOTS_OFFSET + slot * INDEX_SLOT_SIZE;
                    if (page.getInt(at + 8, ByteOrder.LITTLE_ENDIAN) != 0) {
                        final long hash = page.getLong(at, ByteOrder.LITTLE_ENDIAN);
                        fullest = Math.max(fullest, ++counts[Hashing.range((int) (hash >>> 32), newCount)]);
                    }
                }
            } finally {
                access.primary.release();
            }
        }
        return fullest;
    }

    /** Points the slot that references (oldLogical, oldOffset) at {@code newRef}. */
    void repoint(long hash, int oldLogical, int oldOffset, long newRef) {
        final MutableDirectBuffer page =
                store.acquireWrite(bucketIds[bucketOf(hash)], access.secondary).mutableBuffer();
        try {
            int slot = Hashing.range((int) hash, slotsPerPage);
            while (true) {
                final int at = INDEX_SLOTS_OFFSET + slot * INDEX_SLOT_SIZE;
                final int pagePlusOne = page.getInt(at + 8, ByteOrder.LITTLE_ENDIAN);
                if (pagePlusOne == 0) {
                    throw new IllegalStateException(
                            "record missing from the index: page=" + oldLogical + ", offset=" + oldOffset);
                }
                if (pagePlusOne == oldLogical + 1 && page.getInt(at + 12, ByteOrder.LITTLE_ENDIAN) == oldOffset) {
                    page.putInt(at + 8, (int) (newRef >>> 32) + 1, ByteOrder.LITTLE_ENDIAN);
                    page.putInt(at + 12, (int) newRef, ByteOrder.LITTLE_ENDIAN);
                    return;
                }
                if (++slot == slotsPerPage) {
                    slot = 0;
                }
            }
        } finally {
            access.secondary.release();
        }
    }
}
