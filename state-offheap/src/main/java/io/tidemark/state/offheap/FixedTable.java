package io.tidemark.state.offheap;

import io.tidemark.StateSizeException;
import io.tidemark.keygroup.KeyGroupAssignment;
import io.tidemark.memory.PageCursor;
import io.tidemark.memory.PageStore;
import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

/**
 * The fused table: an open-addressing hash table of fixed-size entries with the value inline, for every state whose
 * key, namespace and value serializers all have a fixed length (primitive long/double state, {@code ValueState<Long>},
 * fixed-size records). One table per (state, key group). The high 32 bits of the hash pick a bucket page, the low 32
 * bits the home slot inside it; linear probing never leaves the page, so an operation touches one page, and usually
 * one cache line of it.
 *
 * <pre>
 * bucket page (pageSize bytes)
 *  0        1        4        8                       slotsOffset (multiple of 64)
 *  +--------+--------+--------+-----------------------+---------+---------+-----+-------------+--------+
 *  | kind=1 | unused | count  | occupancy bitmap      | slot 0  | slot 1  | ... | slot n-1    | unused |
 *  +--------+--------+--------+-----------------------+---------+---------+-----+-------------+--------+
 *  count   int32 LE: occupied slots in this page
 *  bitmap  n bits in little-endian longs: bit i set = slot i occupied
 *  slot    key (keyLength) | namespace (namespaceLength) | value (valueLength) | zero padding to slotStride
 *  stride  slot size rounded up to a power of two up to 64, else to a multiple of 64: no slot straddles a cache line
 *          unless it is larger than one (16-byte Long -> long slots: four per line)
 * </pre>
 *
 * <p>Empty slots are all zero (pages start zeroed, deletion zeroes the hole), so probing for an 8-byte key reads the
 * occupancy bitmap only when it meets an all-zero key: a hit touches the slot's cache line only.
 *
 * <p><b>Hashing.</b> The caller passes the 64-bit hash of (key, namespace); the table recomputes it from stored bytes
 * when it grows, with the same function: {@link #longKeyHash} for {@code long} keys (Flink's key-group murmur of the
 * key's {@code hashCode}, already computed for the key group, in the high half; the 64-bit key times the golden ratio in
 * the low half: one mix and one multiply per key), {@link Hashing#bytes} for other keys, combined with the namespace
 * hash by {@link Hashing#combine}.
 *
 * <p><b>Growth.</b> Deletes use backward-shift deletion (no tombstones). The table grows by rehashing into 1/8 more
 * pages (at least one) when it passes {@link #MAX_LOAD} overall or one page passes {@link #MAX_PAGE_LOAD}. Growth
 * allocates every new page before it moves an entry, so a full store fails the insert with the table unchanged.
 *
 * <p><b>Threads and memory.</b> Owner thread only. Lookups return raw addresses of page memory (native byte order,
 * little-endian on every supported platform), valid until the owner's next page-store call; no operation allocates
 * except growth; no operation executes an atomic or volatile access while the page's segment is mapped and the page
 * was already written in the current snapshot epoch.
 */
final class FixedTable {
    static final int KIND_OFFSET = 0;
    static final int COUNT_OFFSET = 4;
    static final int BITMAP_OFFSET = 8;
    static final int CACHE_LINE = 64;
    static final double MAX_LOAD = 0.85;
    static final double MAX_PAGE_LOAD = 0.95;
    private static final long GOLDEN = 0x9E37_79B9_7F4A_7C15L;

    private final PageAccess access;
    private final PageStore store;
    private final TablePages pages;
    private final Geometry geometry;
    private final int keyLength;
    private final int namespaceLength;
    private final int valueOffset;
    private final int slotStride;
    private final int slotsPerPage;
    private final int slotsOffset;
    private final int maxPerPage;
    private final boolean longKeys;
    private final boolean longKeysOnly;
    private int[] buckets = new int[0];
    private long[] bucketIds = new long[0];
    /** Cached page addresses per bucket (0 = unknown), valid while the store's address stamp is {@link #stamp}. */
    private long[] pageAddresses = new long[0];
    /** Per bucket, the store's write stamp at which the page was last passed to {@code writeAddress}. */
    private long[] writable = new long[0];

    private long stamp = -1;
    private long count;
    private long maxCount;
    private boolean inserted;

    /** Slot geometry of a (key, namespace, value) shape in a page: pure arithmetic, shared with the decoder. */
    record Geometry(
            int keyLength, int namespaceLength, int valueLength, int slotStride, int slotsPerPage, int slotsOffset) {
        static Geometry of(int pageSize, int keyLength, int namespaceLength, int valueLength) {
            final int slotSize = keyLength + namespaceLength + valueLength;
            final int stride = slotSize <= CACHE_LINE
                    ? Integer.highestOneBit(slotSize - 1) << 1
                    : (slotSize + CACHE_LINE - 1) / CACHE_LINE * CACHE_LINE;
            final int slotStride = Math.max(stride, 1);
            int n = (pageSize - BITMAP_OFFSET) / slotStride;
            while (n > 0 && offsetOfSlots(n) + (long) n * slotStride > pageSize) {
                n--;
            }
            return new Geometry(keyLength, namespaceLength, valueLength, slotStride, n, offsetOfSlots(n));
        }

        private static int offsetOfSlots(int slots) {
            final int bitmapEnd = BITMAP_OFFSET + ((slots + 63) >>> 6) * 8;
            return (bitmapEnd + CACHE_LINE - 1) & -CACHE_LINE;
        }

        /**
         * The geometry of lengths read from a snapshot, checked.
         *
         * @throws IllegalStateException if the lengths are out of range or fewer than two slots fit a page
         */
        static Geometry checked(int pageSize, int keyLength, int namespaceLength, int valueLength) {
            if (keyLength <= 0
                    || namespaceLength < 0
                    || valueLength <= 0
                    || (long) keyLength + namespaceLength + valueLength > pageSize) {
                throw new IllegalStateException("fused table lengths out of range: key=" + keyLength + ", namespace="
                        + namespaceLength + ", value=" + valueLength + ", pageSize=" + pageSize);
            }
            final Geometry geometry = of(pageSize, keyLength, namespaceLength, valueLength);
            if (geometry.slotsPerPage() < 2) {
                throw new IllegalStateException("fused table slots do not fit a page: slotStride="
                        + geometry.slotStride() + ", pageSize=" + pageSize);
            }
            return geometry;
        }

        int slotOffset(int slot) {
            return slotsOffset + slot * slotStride;
        }

        /** The most entries one page holds before the table grows ({@link #MAX_PAGE_LOAD} of its slots). */
        int maxPerPage() {
            return (int) (slotsPerPage * MAX_PAGE_LOAD);
        }

        /** Longs of the occupancy bitmap. */
        int bitmapLongs() {
            return (slotsPerPage + 63) >>> 6;
        }
    }

    FixedTable(PageAccess access, TablePages pages, Geometry geometry, boolean longKeys) {
        this.access = access;
        this.store = access.store;
        this.pages = pages;
        this.geometry = geometry;
        this.keyLength = geometry.keyLength();
        this.namespaceLength = geometry.namespaceLength();
        this.valueOffset = keyLength + namespaceLength;
        this.slotStride = geometry.slotStride();
        this.slotsPerPage = geometry.slotsPerPage();
        this.slotsOffset = geometry.slotsOffset();
        this.maxPerPage = geometry.maxPerPage();
        this.longKeys = longKeys;
        this.longKeysOnly = longKeys && namespaceLength == 0;
        if (slotsPerPage < 2) {
            throw new StateSizeException("entry too large for the fused table: key=" + keyLength + ", namespace="
                    + namespaceLength + ", value=" + geometry.valueLength() + ", pageSize=" + access.pageSize
                    + ", limit=2 slots per page");
        }
    }

    /**
     * A table over pages restored from a checkpoint and checked by {@link RestoredFixedTable}: bucket {@code b} is
     * logical page {@code buckets[b]} of {@code pages}; {@code count} entries in all.
     */
    FixedTable(PageAccess access, TablePages pages, Geometry geometry, boolean longKeys, int[] buckets, long count) {
        this(access, pages, geometry, longKeys);
        final int n = buckets.length;
        this.buckets = buckets;
        this.bucketIds = new long[n];
        for (int b = 0; b < n; b++) {
            bucketIds[b] = pages.id(buckets[b]);
        }
        this.pageAddresses = new long[n];
        this.writable = new long[n];
        java.util.Arrays.fill(writable, -1);
        this.count = count;
        this.maxCount = (long) (MAX_LOAD * slotsPerPage * n);
    }

    /**
     * The hash of a {@code long} key: the key-group murmur {@code keyGroupHash} (Flink's, of {@code Long.hashCode})
     * picks the page, the key times the golden ratio picks the slot. Every bit of the key reaches the slot choice, so
     * keys that share a {@code hashCode} still spread inside their page.
     */
    static long longKeyHash(long key, int keyGroupHash) {
        // The murmur is non-negative (31 bits): shifted by 33 its top bit is the hash's, so the page choice
        // ((hi * pages) >>> 32) spans every page; a shift by 32 would leave the upper half of the pages unused.
        return ((long) keyGroupHash << 33) | ((key * GOLDEN) >>> 32);
    }

    TablePages pages() {
        return pages;
    }

    Geometry geometry() {
        return geometry;
    }

    long count() {
        return count;
    }

    /** True when the last {@link #findForWrite} inserted the entry (its value bytes are zero). */
    boolean inserted() {
        return inserted;
    }

    // ---- operations ----

    /** The address of the entry's value for reading, or 0 when there is no entry. */
    long findForRead(long hash, long keyBits, DirectBuffer key, DirectBuffer namespace) {
        if (count == 0) {
            return 0;
        }
        final long page = pageForRead(bucketOf(hash));
        final int slot = probe(page, hash, keyBits, key, namespace);
        return slot < 0 ? 0 : page + slotsOffset + (long) slot * slotStride + valueOffset;
    }

    /**
     * The address of the entry's value for writing; inserts the entry (value bytes zero, {@link #inserted()} true) when
     * there is none, growing the table first if needed.
     *
     * @throws StateSizeException if the table cannot grow (store full, crafted keys); nothing changed.
     */
    long findForWrite(long hash, long keyBits, DirectBuffer key, DirectBuffer namespace) {
        while (true) {
            if (buckets.length != 0) {
                final long page = pageForWrite(bucketOf(hash));
                final int slot = probe(page, hash, keyBits, key, namespace);
                if (slot >= 0) {
                    inserted = false;
                    return page + slotsOffset + (long) slot * slotStride + valueOffset;
                }
                final int pageCount = UnsafeApi.getInt(page + COUNT_OFFSET);
                if (count + 1 <= maxCount && pageCount + 1 <= maxPerPage) {
                    final int free = -slot - 1;
                    final long slotAddress = page + slotsOffset + (long) free * slotStride;
                    if (longKeys) {
                        UnsafeApi.putLong(slotAddress, keyBits);
                    } else {
                        copyIn(slotAddress, key, keyLength);
                    }
                    copyIn(slotAddress + keyLength, namespace, namespaceLength);
                    setOccupied(page, free);
                    UnsafeApi.putInt(page + COUNT_OFFSET, pageCount + 1);
                    count++;
                    inserted = true;
                    return slotAddress + valueOffset;
                }
            }
            grow();
        }
    }

    /** Removes the entry; false when there was none. */
    boolean remove(long hash, long keyBits, DirectBuffer key, DirectBuffer namespace) {
        if (count == 0) {
            return false;
        }
        final int bucket = bucketOf(hash);
        if (probe(pageForRead(bucket), hash, keyBits, key, namespace) < 0) {
            return false; // no write access: a miss leaves the page clean for the next incremental snapshot
        }
        final long page = pageForWrite(bucket);
        deleteAt(page, probe(page, hash, keyBits, key, namespace));
        UnsafeApi.putInt(page + COUNT_OFFSET, UnsafeApi.getInt(page + COUNT_OFFSET) - 1);
        count--;
        return true;
    }

    /**
     * The bucket page's address for reading: cached while no segment was unmapped (one plain load of the store's
     * stamp). A cached access does not set the segment's clock bit; the cache is dropped at every unmapping, so each
     * bucket's first access after an eviction sets it again ("referenced since the last eviction").
     */
    private long pageForRead(int bucket) {
        final long current = store.addressStamp();
        if (current != stamp) {
            resetAddresses(current);
        }
        long page = pageAddresses[bucket];
        if (page == 0) {
            page = store.readAddress(bucketIds[bucket]);
            if (store.addressStamp() == stamp) {
                pageAddresses[bucket] = page;
            }
        }
        return page;
    }

    /** The bucket page's address for writing: {@code writeAddress} once per page per epoch, cached after that. */
    private long pageForWrite(int bucket) {
        final long writeStamp = store.writeStamp();
        if (writable[bucket] == writeStamp) {
            return pageAddresses[bucket];
        }
        final long page = store.writeAddress(bucketIds[bucket]);
        final long current = store.addressStamp();
        if (current != stamp) {
            resetAddresses(current);
        }
        pageAddresses[bucket] = page;
        writable[bucket] = store.writeStamp();
        return page;
    }

    private void resetAddresses(long current) {
        java.util.Arrays.fill(pageAddresses, 0);
        java.util.Arrays.fill(writable, -1);
        stamp = current;
    }

    private void copyIn(long address, DirectBuffer source, int length) {
        if (length > 0) {
            source.getBytes(0, access.view.wrapAt(address, length), 0, length);
        }
    }

    /**
     * Loads the home slot of {@code hash} when its page address is cached (a prefetch hint: a plain load whose value
     * the caller folds into a field, so that it is not eliminated); 0 otherwise. Changes nothing.
     */
    long touch(long hash) {
        if (buckets.length == 0 || stamp != store.addressStamp()) {
            return 0;
        }
        final long page = pageAddresses[bucketOf(hash)];
        return page == 0
                ? 0
                : UnsafeApi.getLong(page + slotsOffset + (long) Hashing.range((int) hash, slotsPerPage) * slotStride);
    }

    // ---- probing ----

    private int bucketOf(long hash) {
        return Hashing.range((int) (hash >>> 32), buckets.length);
    }

    /** The slot holding the entry, or {@code -(free slot) - 1}. */
    private int probe(long page, long hash, long keyBits, DirectBuffer key, DirectBuffer namespace) {
        final int home = Hashing.range((int) hash, slotsPerPage);
        return longKeysOnly
                ? probeLong(page + slotsOffset, page, home, keyBits)
                : probeBytes(page, home, keyBits, key, namespace);
    }

    /** The hot probe, kept small so that it inlines: 8-byte keys without namespace, compared as longs. */
    private int probeLong(long slots, long page, int home, long keyBits) {
        int slot = home;
        while (true) {
            final long stored = UnsafeApi.getLong(slots + (long) slot * slotStride);
            if (stored == keyBits) {
                return stored != 0 || isOccupied(page, slot) ? slot : -slot - 1;
            }
            if (stored == 0 && !isOccupied(page, slot)) {
                return -slot - 1;
            }
            if (++slot == slotsPerPage) {
                slot = 0;
            }
        }
    }

    private int probeBytes(long page, int home, long keyBits, DirectBuffer key, DirectBuffer namespace) {
        final long slots = page + slotsOffset;
        int slot = home;
        while (true) {
            if (!isOccupied(page, slot)) {
                return -slot - 1;
            }
            if (matches(slots + (long) slot * slotStride, keyBits, key, namespace)) {
                return slot;
            }
            if (++slot == slotsPerPage) {
                slot = 0;
            }
        }
    }

    private boolean matches(long slot, long keyBits, DirectBuffer key, DirectBuffer namespace) {
        if (longKeys) {
            if (UnsafeApi.getLong(slot) != keyBits) {
                return false;
            }
        } else if (!equal(slot, key, keyLength)) {
            return false;
        }
        return namespaceLength == 0 || equal(slot + keyLength, namespace, namespaceLength);
    }

    private static boolean equal(long address, DirectBuffer bytes, int length) {
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            if (UnsafeApi.getLong(address + i) != bytes.getLong(i, ByteOrder.LITTLE_ENDIAN)) {
                return false;
            }
        }
        for (; i < length; i++) {
            if (UnsafeApi.getByte(address + i) != bytes.getByte(i)) {
                return false;
            }
        }
        return true;
    }

    private void deleteAt(long page, int slot) {
        final long slots = page + slotsOffset;
        int hole = slot;
        int next = slot;
        while (true) {
            if (++next == slotsPerPage) {
                next = 0;
            }
            if (!isOccupied(page, next)) {
                break;
            }
            final int home = Hashing.range((int) hashAt(slots + (long) next * slotStride), slotsPerPage);
            final boolean stays = hole < next ? home > hole && home <= next : home > hole || home <= next;
            if (!stays) {
                UnsafeApi.copyMemory(slots + (long) next * slotStride, slots + (long) hole * slotStride, slotStride);
                hole = next;
            }
        }
        clearOccupied(page, hole);
        UnsafeApi.setMemory(slots + (long) hole * slotStride, slotStride, (byte) 0);
    }

    /** The hash of the entry stored at {@code slot}, as the caller computed it when it was inserted. */
    private long hashAt(long slot) {
        return slotHash(slot, keyLength, namespaceLength, longKeys, access.view);
    }

    /**
     * The hash of the entry in the slot at raw address {@code slot}: the function the owner used to insert it
     * ({@link #longKeyHash} for {@code long} keys, {@link Hashing#bytes} otherwise, combined with the namespace's).
     * Rewraps {@code view}.
     */
    static long slotHash(long slot, int keyLength, int namespaceLength, boolean longKeys, AddressView view) {
        final long keyHash;
        if (longKeys) {
            final long key = UnsafeApi.getLong(slot);
            keyHash = longKeyHash(key, KeyGroupAssignment.murmurHash((int) (key ^ (key >>> 32))));
        } else {
            keyHash = Hashing.bytes(view.wrapAt(slot, keyLength), 0, keyLength);
        }
        return namespaceLength == 0
                ? keyHash
                : Hashing.combine(
                        keyHash,
                        Hashing.bytes(view.wrapAt(slot + keyLength, namespaceLength), 0, namespaceLength),
                        namespaceLength);
    }

    static boolean isOccupied(long page, int slot) {
        return (UnsafeApi.getLong(page + BITMAP_OFFSET + ((slot >>> 6) << 3)) & (1L << slot)) != 0;
    }

    private static void setOccupied(long page, int slot) {
        final long word = page + BITMAP_OFFSET + ((slot >>> 6) << 3);
        UnsafeApi.putLong(word, UnsafeApi.getLong(word) | (1L << slot));
    }

    private static void clearOccupied(long page, int slot) {
        final long word = page + BITMAP_OFFSET + ((slot >>> 6) << 3);
        UnsafeApi.putLong(word, UnsafeApi.getLong(word) & ~(1L << slot));
    }

    // ---- growth (cold) ----

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
                final long page = source.address();
                for (int slot = 0; slot < slotsPerPage; slot++) {
                    if (isOccupied(page, slot)) {
                        reinsert(page + slotsOffset + (long) slot * slotStride, newIds, newCount, target);
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
        pageAddresses = new long[newCount];
        writable = new long[newCount];
        java.util.Arrays.fill(writable, -1);
        stamp = -1;
        maxCount = (long) (MAX_LOAD * slotsPerPage * newCount);
    }

    private int fullestBucket(int newCount) {
        final int[] counts = new int[newCount];
        int fullest = 0;
        for (int b = 0; b < buckets.length; b++) {
            final PageCursor source = store.acquireRead(bucketIds[b], access.primary);
            try {
                final long page = source.address();
                for (int slot = 0; slot < slotsPerPage; slot++) {
                    if (isOccupied(page, slot)) {
                        final long hash = hashAt(page + slotsOffset + (long) slot * slotStride);
                        final int bucket = Hashing.range((int) (hash >>> 32), newCount);
                        fullest = Math.max(fullest, ++counts[bucket]);
                    }
                }
            } finally {
                source.release();
            }
        }
        return fullest;
    }

    private void reinsert(long sourceSlot, long[] ids, int idCount, PageCursor target) {
        final long hash = hashAt(sourceSlot);
        store.acquireWrite(ids[Hashing.range((int) (hash >>> 32), idCount)], target);
        try {
            final long page = target.address();
            int slot = Hashing.range((int) hash, slotsPerPage);
            while (isOccupied(page, slot)) {
                if (++slot == slotsPerPage) {
                    slot = 0;
                }
            }
            UnsafeApi.copyMemory(sourceSlot, page + slotsOffset + (long) slot * slotStride, slotStride);
            setOccupied(page, slot);
            UnsafeApi.putInt(page + COUNT_OFFSET, UnsafeApi.getInt(page + COUNT_OFFSET) + 1);
        } finally {
            target.release();
        }
    }

    @Override
    public String toString() {
        return "FixedTable{pages=" + buckets.length + ", count=" + count + ", geometry=" + geometry + "}";
    }

    /** Visits every entry of one bucket page's bytes (a copy taken by a snapshot or read from a stream). */
    static void forEachEntry(DirectBuffer page, Geometry geometry, FixedEntryVisitor visitor) {
        for (int slot = 0; slot < geometry.slotsPerPage(); slot++) {
            final int word = BITMAP_OFFSET + ((slot >>> 6) << 3);
            if ((page.getLong(word, ByteOrder.LITTLE_ENDIAN) & (1L << slot)) != 0) {
                visitor.entry(page, geometry.slotOffset(slot));
            }
        }
    }

    /** Receives the offset of one slot (key | namespace | value). */
    interface FixedEntryVisitor {
        void entry(DirectBuffer page, int slotOffset);
    }

    /** A reusable buffer view of raw memory for serializer calls. */
    static final class AddressView extends org.agrona.concurrent.UnsafeBuffer {
        AddressView() {
            super(new byte[0]);
        }

        MutableDirectBuffer wrapAt(long address, int length) {
            wrap(address, length);
            return this;
        }
    }
}
