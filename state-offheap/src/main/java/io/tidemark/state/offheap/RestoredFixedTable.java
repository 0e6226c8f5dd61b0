package io.tidemark.state.offheap;

import io.tidemark.memory.PageCursor;
import io.tidemark.memory.PageStore;
import org.agrona.UnsafeApi;

/**
 * Builds a {@link FixedTable} over bucket pages copied from a checkpoint into new pages of the store, keeping the
 * table's logical layout. Each page is checked as it is added: kind byte, count word equal to the bitmap's population,
 * no bit past the last slot, at most {@link FixedTable.Geometry#maxPerPage} entries, empty slots all zero (the probe
 * of 8-byte keys relies on it), and every entry hashing to one and the same bucket. Logical indexes do not follow the
 * bucket order after growth, so the bucket of a page is derived from its entries' hashes; empty pages take the buckets
 * left over. The count is recomputed from the pages.
 *
 * <p><b>Threads and memory.</b> Owner thread, during restore. Allocates the directory arrays once; reads each page
 * through the access' primary cursor.
 *
 * <p><b>Errors.</b> {@link IllegalStateException} saying what is wrong with which logical page; the caller names the
 * stream and offset. {@link #free} gives back the pages added so far.
 */
final class RestoredFixedTable {
    private final PageAccess access;
    private final PageStore store;
    private final FixedTable.Geometry geometry;
    private final boolean longKeys;
    private final long[] ids;
    private final byte[] kinds;
    /** Logical page per bucket, -1 while unknown. */
    private final int[] buckets;

    private final int bucketCount;
    private int added;
    private long count;

    /**
     * @param logicalCount the table's logical indexes
     * @param bucketCount its bucket pages (stored pages of kind {@link TablePages#FIXED})
     */
    RestoredFixedTable(
            PageAccess access, FixedTable.Geometry geometry, boolean longKeys, int logicalCount, int bucketCount) {
        this.access = access;
        this.store = access.store;
        this.geometry = geometry;
        this.longKeys = longKeys;
        this.ids = new long[logicalCount];
        this.kinds = new byte[logicalCount];
        java.util.Arrays.fill(ids, -1);
        this.buckets = new int[bucketCount];
        java.util.Arrays.fill(buckets, -1);
        this.bucketCount = bucketCount;
    }

    /**
     * Copies a stored page ({@code pageSize} bytes, the store's page size) into a new page of the store as logical page
     * {@code logical} and checks it.
     *
     * @throws IllegalStateException if the page is inconsistent (it is kept, for {@link #free})
     */
    void add(int logical, byte[] bytes) {
        if (ids[logical] >= 0 || added == bucketCount) {
            throw new IllegalStateException("logical page stored twice or more pages than buckets: logical=" + logical
                    + ", buckets=" + bucketCount);
        }
        final long id = store.allocatePage();
        ids[logical] = id;
        kinds[logical] = TablePages.FIXED;
        added++;
        final PageCursor cursor = store.acquireWrite(id, access.primary);
        try {
            cursor.mutableBuffer().putBytes(0, bytes, 0, bytes.length);
            final int bucket = check(logical, cursor.address());
            if (bucket >= 0) {
                if (buckets[bucket] >= 0) {
                    throw new IllegalStateException("two pages hold the entries of one bucket: logical=" + logical
                            + " and " + buckets[bucket] + ", bucket=" + bucket);
                }
                buckets[bucket] = logical;
            }
        } finally {
            cursor.release();
        }
    }

    /** The bucket the page's entries hash to, or -1 for an empty page; adds its entries to the count. */
    private int check(int logical, long page) {
        final int occupied = occupied(page, geometry);
        final int slots = geometry.slotsPerPage();
        int bucket = -1;
        for (int slot = 0; slot < slots; slot++) {
            final long address = page + geometry.slotOffset(slot);
            if (!FixedTable.isOccupied(page, slot)) {
                if (!zero(address, geometry.slotStride())) {
                    throw new IllegalStateException("empty slot not zero: logical=" + logical + ", slot=" + slot);
                }
                continue;
            }
            final long hash = FixedTable.slotHash(
                    address, geometry.keyLength(), geometry.namespaceLength(), longKeys, access.view);
            final int home = Hashing.range((int) (hash >>> 32), bucketCount);
            if (bucket >= 0 && home != bucket) {
                throw new IllegalStateException("entries of two buckets in one page: logical=" + logical + ", slot="
                        + slot + ", buckets=" + bucket + " and " + home + " of " + bucketCount);
            }
            bucket = home;
        }
        count += occupied;
        return bucket;
    }

    /**
     * The entries of a bucket page at raw address {@code page}, after checking its kind byte, that its count word is
     * the population of its bitmap, that no bit is set past the last slot and that it holds at most
     * {@link FixedTable.Geometry#maxPerPage} entries.
     *
     * @throws IllegalStateException if one of these does not hold
     */
    static int occupied(long page, FixedTable.Geometry geometry) {
        final byte kind = UnsafeApi.getByte(page + FixedTable.KIND_OFFSET);
        if (kind != TablePages.FIXED) {
            throw new IllegalStateException("not a fused bucket page: kind=" + kind);
        }
        final int slots = geometry.slotsPerPage();
        int occupied = 0;
        for (int w = 0; w < geometry.bitmapLongs(); w++) {
            final long word = UnsafeApi.getLong(page + FixedTable.BITMAP_OFFSET + ((long) w << 3));
            final int valid = Math.min(64, slots - (w << 6));
            if (valid < 64 && (word >>> valid) != 0) {
                throw new IllegalStateException("occupancy bit past the last slot: slots=" + slots);
            }
            occupied += Long.bitCount(word);
        }
        final int stored = UnsafeApi.getInt(page + FixedTable.COUNT_OFFSET);
        if (stored != occupied || occupied > geometry.maxPerPage()) {
            throw new IllegalStateException("page count does not match its bitmap: count=" + stored + ", bitmap="
                    + occupied + ", limit=" + geometry.maxPerPage());
        }
        return occupied;
    }

    private static boolean zero(long address, int length) {
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            if (UnsafeApi.getLong(address + i) != 0) {
                return false;
            }
        }
        for (; i < length; i++) {
            if (UnsafeApi.getByte(address + i) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The table, once every bucket page was added: empty pages take the buckets no entry named.
     *
     * @throws IllegalStateException if pages are missing
     */
    FixedTable finish() {
        if (added != bucketCount) {
            throw new IllegalStateException("bucket pages missing: stored=" + added + ", buckets=" + bucketCount);
        }
        final boolean[] named = new boolean[ids.length];
        for (int logical : buckets) {
            if (logical >= 0) {
                named[logical] = true;
            }
        }
        int next = 0;
        for (int logical = 0; logical < ids.length; logical++) {
            if (ids[logical] >= 0 && !named[logical]) {
                while (buckets[next] >= 0) {
                    next++;
                }
                buckets[next] = logical;
            }
        }
        return new FixedTable(access, TablePages.restored(ids, kinds), geometry, longKeys, buckets, count);
    }

    /** Frees the pages added so far (a failed restore). */
    void free() {
        for (int logical = 0; logical < ids.length; logical++) {
            if (ids[logical] >= 0) {
                store.freePage(ids[logical]);
                ids[logical] = -1;
            }
        }
    }
}
