package io.tidemark.state.offheap;

import io.tidemark.StateSizeException;
import io.tidemark.memory.PageCursor;
import io.tidemark.memory.PageStore;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Hash table of fixed-size (key, namespace) entries with 8-byte values, for long and double state on fixed-length keys:
 * one table per (state, key group). The table is an array of bucket pages; the high 32 bits of the hash pick the page,
 * the low 32 bits the home slot inside it, and linear probing never leaves the page (one page per operation).
 *
 * <pre>
 * bucket page (pageSize bytes)
 *  0        1        4        8                          8 + bitmapLength
 *  +--------+--------+--------+--------------------------+-----------------------------------------+
 *  | kind=1 | unused | count  | occupancy bitmap         | slot 0 | slot 1 | ...  | slot n-1 | unused |
 *  +--------+--------+--------+--------------------------+-----------------------------------------+
 *  count   int32 LE: occupied slots in this page
 *  bitmap  n bits, little-endian longs: bit i set = slot i occupied
 *  slot    key (keyLength) | namespace (namespaceLength) | value (8, long or double bits, LE)
 * </pre>
 *
 * <p>Deletes use backward-shift deletion (no tombstones). The table grows by rehashing into {@code 1/8} more pages
 * (at least one) when it passes {@link #MAX_LOAD} overall or one page passes {@link #MAX_PAGE_LOAD}: the load stays in
 * [0.75, 0.85], 16-byte slots cost 19 to 22 bytes per entry. Growth allocates every new page before it moves an entry,
 * so a full store fails the insert with the table unchanged.
 *
 * <p>Owner thread only. No operation allocates on the heap except growth.
 */
final class FixedTable {
    static final int KIND_OFFSET = 0;
    static final int COUNT_OFFSET = 4;
    static final int BITMAP_OFFSET = 8;
    static final int VALUE_LENGTH = 8;
    static final double MAX_LOAD = 0.85;
    static final double MAX_PAGE_LOAD = 0.95;

    private final PageAccess access;
    private final PageStore store;
    private final TablePages pages;
    private final int keyLength;
    private final int namespaceLength;
    private final int slotSize;
    private final int slotsPerPage;
    private final int slotsOffset;
    private final int maxPerPage;
    private int[] buckets = new int[0];
    private long[] bucketIds = new long[0];
    private long count;
    private long maxCount;

    FixedTable(PageAccess access, TablePages pages, int keyLength, int namespaceLength) {
        this.access = access;
        this.store = access.store;
        this.pages = pages;
        this.keyLength = keyLength;
        this.namespaceLength = namespaceLength;
        this.slotSize = keyLength + namespaceLength + VALUE_LENGTH;
        this.slotsPerPage = slotsPerPage(access.pageSize, slotSize);
        this.slotsOffset = slotsOffset(slotsPerPage);
        this.maxPerPage = (int) (slotsPerPage * MAX_PAGE_LOAD);
    }

    static int slotsPerPage(int pageSize, int slotSize) {
        int n = (pageSize - BITMAP_OFFSET) / slotSize;
        while (slotsOffset(n) + n * slotSize > pageSize) {
            n--;
        }
        return n;
    }

    static int slotsOffset(int slotsPerPage) {
        return BITMAP_OFFSET + ((slotsPerPage + 63) >>> 6) * 8;
    }

    TablePages pages() {
        return pages;
    }

    long count() {
        return count;
    }

    int keyLength() {
        return keyLength;
    }

    int namespaceLength() {
        return namespaceLength;
    }

    // ---- operations on the current (key, namespace) ----

    /** True when an entry exists. */
    boolean contains(long hash, DirectBuffer key, DirectBuffer namespace) {
        if (count == 0) {
            return false;
        }
        final PageCursor cursor = store.acquireRead(bucketIds[bucketOf(hash)], access.primary);
        try {
            return probe(cursor.buffer(), hash, key, namespace) >= 0;
        } finally {
            cursor.release();
        }
    }

    /** The value bits, or {@code absent} when there is no entry. */
    long get(long hash, DirectBuffer key, DirectBuffer namespace, long absent) {
        if (count == 0) {
            return absent;
        }
        final PageCursor cursor = store.acquireRead(bucketIds[bucketOf(hash)], access.primary);
        try {
            final DirectBuffer page = cursor.buffer();
            final int slot = probe(page, hash, key, namespace);
            return slot < 0 ? absent : page.getLong(valueOffset(slot), ByteOrder.LITTLE_ENDIAN);
        } finally {
            cursor.release();
        }
    }

    /** Stores the value bits. */
    void put(long hash, DirectBuffer key, DirectBuffer namespace, long bits) {
        while (!tryUpdate(hash, key, namespace, bits, 0, 0)) {
            grow();
        }
    }

    /**
     * Adds {@code delta} to the long value (absent counts as {@code absent}) and returns the new value; with
     * {@code asDouble} the bits are doubles and the result is the new double's bits.
     */
    long add(long hash, DirectBuffer key, DirectBuffer namespace, long delta, boolean asDouble, long absent) {
        while (!tryUpdate(hash, key, namespace, delta, asDouble ? 2 : 1, absent)) {
            grow();
        }
        return lastValue;
    }

    private long lastValue;

    /** mode 0: set, 1: add long, 2: add double. Returns false when the table must grow first (nothing changed). */
    private boolean tryUpdate(
            long hash, DirectBuffer key, DirectBuffer namespace, long operand, int mode, long absent) {
        if (buckets.length == 0) {
            return false;
        }
        final PageCursor cursor = store.acquireWrite(bucketIds[bucketOf(hash)], access.primary);
        try {
            final MutableDirectBuffer page = cursor.mutableBuffer();
            final int slot = probe(page, hash, key, namespace);
            if (slot >= 0) {
                final int offset = valueOffset(slot);
                final long next = combine(mode, page.getLong(offset, ByteOrder.LITTLE_ENDIAN), operand);
                page.putLong(offset, next, ByteOrder.LITTLE_ENDIAN);
                lastValue = next;
                return true;
            }
            final int pageCount = page.getInt(COUNT_OFFSET, ByteOrder.LITTLE_ENDIAN);
            if (count + 1 > maxCount || pageCount + 1 > maxPerPage) {
                return false;
            }
            final int free = -slot - 1;
            final int offset = slotOffset(free);
            page.putBytes(offset, key, 0, keyLength);
            if (namespaceLength > 0) {
                page.putBytes(offset + keyLength, namespace, 0, namespaceLength);
            }
            final long next = combine(mode, absent, operand);
            page.putLong(offset + keyLength + namespaceLength, next, ByteOrder.LITTLE_ENDIAN);
            setOccupied(page, free);
            page.putInt(COUNT_OFFSET, pageCount + 1, ByteOrder.LITTLE_ENDIAN);
            count++;
            lastValue = next;
            return true;
        } finally {
            cursor.release();
        }
    }

    private static long combine(int mode, long current, long operand) {
        switch (mode) {
            case 0:
                return operand;
            case 1:
                return current + operand;
            default:
                return Double.doubleToRawLongBits(Double.longBitsToDouble(current) + Double.longBitsToDouble(operand));
        }
    }

    /** Removes the entry; false when there was none. */
    boolean remove(long hash, DirectBuffer key, DirectBuffer namespace) {
        if (count == 0) {
            return false;
        }
        final PageCursor cursor = store.acquireWrite(bucketIds[bucketOf(hash)], access.primary);
        try {
            final MutableDirectBuffer page = cursor.mutableBuffer();
            final int slot = probe(page, hash, key, namespace);
            if (slot < 0) {
                return false;
            }
            deleteAt(page, slot);
            page.putInt(COUNT_OFFSET, page.getInt(COUNT_OFFSET, ByteOrder.LITTLE_ENDIAN) - 1, ByteOrder.LITTLE_ENDIAN);
            count--;
            return true;
        } finally {
            cursor.release();
        }
    }

    // ---- probing ----

    private int bucketOf(long hash) {
        return Hashing.range((int) (hash >>> 32), buckets.length);
    }

    /** The slot holding the entry, or {@code -(free slot) - 1}. */
    private int probe(DirectBuffer page, long hash, DirectBuffer key, DirectBuffer namespace) {
        int slot = Hashing.range((int) hash, slotsPerPage);
        if (keyLength == 8 && namespaceLength == 0) {
            return probeLong(page, slot, key.getLong(0, ByteOrder.LITTLE_ENDIAN));
        }
        while (true) {
            if (!isOccupied(page, slot)) {
                return -slot - 1;
            }
            if (matches(page, slotOffset(slot), key, namespace)) {
                return slot;
            }
            if (++slot == slotsPerPage) {
                slot = 0;
            }
        }
    }

    /**
     * Probing for 8-byte keys without namespace, reading the occupancy bitmap only for all-zero slots: empty slots are
     * always zero (pages are zeroed, deletion zeroes the hole), so a non-zero key is an occupied slot and a hit touches
     * the slot's cache line only.
     */
    private int probeLong(DirectBuffer page, int home, long wanted) {
        int slot = home;
        while (true) {
            final long stored = page.getLong(slotOffset(slot), ByteOrder.LITTLE_ENDIAN);
            if (stored == 0 && !isOccupied(page, slot)) {
                return -slot - 1;
            }
            if (stored == wanted) {
                return slot;
            }
            if (++slot == slotsPerPage) {
                slot = 0;
            }
        }
    }

    private boolean matches(DirectBuffer page, int offset, DirectBuffer key, DirectBuffer namespace) {
        if (keyLength == 8) {
            if (page.getLong(offset, ByteOrder.LITTLE_ENDIAN) != key.getLong(0, ByteOrder.LITTLE_ENDIAN)) {
                return false;
            }
        } else if (!Bytes.equal(page, offset, key, 0, keyLength)) {
            return false;
        }
        return namespaceLength == 0 || Bytes.equal(page, offset + keyLength, namespace, 0, namespaceLength);
    }

    private void deleteAt(MutableDirectBuffer page, int slot) {
        int hole = slot;
        int next = slot;
        while (true) {
            if (++next == slotsPerPage) {
                next = 0;
            }
            if (!isOccupied(page, next)) {
                break;
            }
            final int home = homeOf(page, slotOffset(next));
            final boolean stays = hole < next ? home > hole && home <= next : home > hole || home <= next;
            if (!stays) {
                page.putBytes(slotOffset(hole), page, slotOffset(next), slotSize);
                hole = next;
            }
        }
        clearOccupied(page, hole);
        page.setMemory(slotOffset(hole), slotSize, (byte) 0);
    }

    private int homeOf(DirectBuffer page, int offset) {
        return Hashing.range((int) hashAt(page, offset), slotsPerPage);
    }

    private long hashAt(DirectBuffer page, int offset) {
        final long keyHash = Hashing.bytes(page, offset, keyLength);
        final long nsHash = namespaceLength == 0 ? 0 : Hashing.bytes(page, offset + keyLength, namespaceLength);
        return Hashing.combine(keyHash, nsHash, namespaceLength);
    }

    private int slotOffset(int slot) {
        return slotsOffset + slot * slotSize;
    }

    private int valueOffset(int slot) {
        return slotOffset(slot) + keyLength + namespaceLength;
    }

    static boolean isOccupied(DirectBuffer page, int slot) {
        return (page.getLong(BITMAP_OFFSET + ((slot >>> 6) << 3), ByteOrder.LITTLE_ENDIAN) & (1L << slot)) != 0;
    }

    private static void setOccupied(MutableDirectBuffer page, int slot) {
        final int offset = BITMAP_OFFSET + ((slot >>> 6) << 3);
        page.putLong(offset, page.getLong(offset, ByteOrder.LITTLE_ENDIAN) | (1L << slot), ByteOrder.LITTLE_ENDIAN);
    }

    private static void clearOccupied(MutableDirectBuffer page, int slot) {
        final int offset = BITMAP_OFFSET + ((slot >>> 6) << 3);
        page.putLong(offset, page.getLong(offset, ByteOrder.LITTLE_ENDIAN) & ~(1L << slot), ByteOrder.LITTLE_ENDIAN);
    }

    // ---- growth ----

    private void grow() {
        final int oldCount = buckets.length;
        int newCount = oldCount == 0 ? 1 : oldCount + Math.max(1, oldCount >> 3);
        // Entries are spread by the high hash bits: make sure no new page would overflow, whatever the skew.
        while (oldCount > 0 && fullestBucket(newCount) > maxPerPage) {
            newCount += Math.max(1, newCount >> 3);
            if (newCount > Math.max(4 * oldCount, 64)) {
                throw new StateSizeException("hash table cannot spread its entries over pages (crafted keys?): "
                        + "entries=" + count + ", pages=" + oldCount + ", limit=" + maxPerPage + " per page");
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
        final PageCursor target = access.secondary;
        for (long id : newIds) {
            store.acquireWrite(id, target).mutableBuffer().putByte(KIND_OFFSET, TablePages.FIXED);
            target.release();
        }
        for (int b = 0; b < oldCount; b++) {
            final PageCursor source = store.acquireRead(bucketIds[b], access.primary);
            try {
                final DirectBuffer page = source.buffer();
                for (int slot = 0; slot < slotsPerPage; slot++) {
                    if (isOccupied(page, slot)) {
                        reinsert(page, slotOffset(slot), newIds, newCount, target);
                    }
                }
            } finally {
                source.release();
            }
        }
        for (int b = 0; b < oldCount; b++) {
            pages.remove(buckets[b]);
            store.freePage(bucketIds[b]);
        }
        final int[] newBuckets = new int[newCount];
        for (int b = 0; b < newCount; b++) {
            newBuckets[b] = pages.add(newIds[b], TablePages.FIXED);
        }
        buckets = newBuckets;
        bucketIds = newIds;
        maxCount = (long) (MAX_LOAD * slotsPerPage * newCount);
    }

    private int fullestBucket(int newCount) {
        final int[] counts = new int[newCount];
        int fullest = 0;
        for (int b = 0; b < buckets.length; b++) {
            final PageCursor source = store.acquireRead(bucketIds[b], access.primary);
            try {
                final DirectBuffer page = source.buffer();
                for (int slot = 0; slot < slotsPerPage; slot++) {
                    if (isOccupied(page, slot)) {
                        final int bucket = Hashing.range((int) (hashAt(page, slotOffset(slot)) >>> 32), newCount);
                        fullest = Math.max(fullest, ++counts[bucket]);
                    }
                }
            } finally {
                source.release();
            }
        }
        return fullest;
    }

    private void reinsert(DirectBuffer source, int offset, long[] ids, int idCount, PageCursor target) {
        final long hash = hashAt(source, offset);
        final MutableDirectBuffer page = store.acquireWrite(ids[Hashing.range((int) (hash >>> 32), idCount)], target)
                .mutableBuffer();
        try {
            int slot = Hashing.range((int) hash, slotsPerPage);
            while (isOccupied(page, slot)) {
                if (++slot == slotsPerPage) {
                    slot = 0;
                }
            }
            page.putBytes(slotOffset(slot), source, offset, slotSize);
            setOccupied(page, slot);
            page.putInt(COUNT_OFFSET, page.getInt(COUNT_OFFSET, ByteOrder.LITTLE_ENDIAN) + 1, ByteOrder.LITTLE_ENDIAN);
        } finally {
            target.release();
        }
    }

    @Override
    public String toString() {
        return "FixedTable{buckets=" + Arrays.toString(buckets) + ", count=" + count + "}";
    }

    /** Visits every entry of one bucket page's bytes (a copy taken by a snapshot or read from a stream). */
    static void forEachEntry(
            DirectBuffer page, int pageSize, int keyLength, int namespaceLength, FixedEntryVisitor visitor) {
        final int slotSize = keyLength + namespaceLength + VALUE_LENGTH;
        final int slots = slotsPerPage(pageSize, slotSize);
        final int base = slotsOffset(slots);
        for (int slot = 0; slot < slots; slot++) {
            if (isOccupied(page, slot)) {
                visitor.entry(page, base + slot * slotSize);
            }
        }
    }

    /** Receives the offset of one slot (key | namespace | value). */
    interface FixedEntryVisitor {
        void entry(DirectBuffer page, int slotOffset);
    }
}
