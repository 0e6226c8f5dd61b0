package io.tidemark.state.offheap;

import io.tidemark.memory.PageStore;
import java.util.Arrays;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

/**
 * The append-only record log of one backend: a logical address space of bytes laid over pages of the {@link PageStore}
 * (one log page per store page, listed in a page table), with three markers. See {@code docs/spec/hybrid-log.md} §2.
 *
 * <pre>
 *  begin                               readOnly                         tail
 *    |  immutable: an update appends     |  mutable: updated in place     |  free
 *    +-----------------------------------+--------------------------------+-------------
 *    records never move; a snapshot's synchronous part sets readOnly = tail (its marker)
 * </pre>
 *
 * Records are 8-byte aligned and never straddle a page, except spanning records (values larger than a page), which
 * start at a page start and cover whole pages; the unused end of a page is one filler record. Address 0 is "none":
 * the first 64 bytes of log page 0 are a filler.
 *
 * <p>Owner thread only, except reads of a captured page table ({@link #capturePageTable}). Raw addresses returned by {@link #address}
 * and {@link #writableAddress} are valid until the owner's next page-store call. Appends allocate pages (the page
 * store may throw {@link io.tidemark.StorageSpaceException}; the log is then unchanged).
 */
final class HybridLog {
    static final long FIRST_ADDRESS = 64;

    private final PageStore store;
    final int pageSize;
    final int pageShift;
    final long pageMask;

    /** Store page id of each log page. */
    private final LogPageTable pageTable = new LogPageTable();

    private long firstPage;
    private int pageCount;

    private long begin = FIRST_ADDRESS;
    private long readOnly = FIRST_ADDRESS;
    private long tail;

    private long pageTurns;
    /**
     * Raw address of log page {@code firstPage + i} as the store last returned it, valid while the store's address
     * stamp is {@code cachedStamps[i] - 1} (0 = unknown): reads skip the store's page lookup.
     */
    private long[] cachedAddresses = new long[16];

    private long[] cachedStamps = new long[16];
    private long tailPageAddress;
    private long tailPageStamp = -1;

    HybridLog(PageStore store) {
        this.store = store;
        this.pageSize = store.pageSize();
        this.pageShift = Integer.numberOfTrailingZeros(pageSize);
        this.pageMask = pageSize - 1L;
    }

    long begin() {
        return begin;
    }

    long readOnly() {
        return readOnly;
    }

    long tail() {
        return tail;
    }

    /** Freezes everything written so far (the snapshot marker); returns it. */
    long markReadOnly() {
        readOnly = tail;
        return tail;
    }

    /**
     * Memory pressure: keeps at most {@code mutableBytes} above the read-only marker, so updates of records that were
     * not touched for a while append a copy at the tail (which keeps hot records together) instead of writing in place.
     */
    void limitMutable(long mutableBytes) {
        if (tail - mutableBytes > readOnly) {
            readOnly = tail - mutableBytes;
        }
    }

    boolean isEmpty() {
        return tail <= FIRST_ADDRESS;
    }

    long firstPage() {
        return firstPage;
    }

    /** Pages in the page table. */
    int pageCount() {
        return pageCount;
    }

    /** The page table as of now for a snapshot: O(1), copied by the next change. */
    LogPageTable.Snapshot capturePageTable() {
        return pageTable.capture();
    }

    // ---- reading ----

    /** Raw address of log address {@code a} for reading (not for spanning records beyond their first page). */
    long address(long a) {
        final int i = (int) ((a >>> pageShift) - firstPage);
        final long stamp = store.addressStamp() + 1;
        if (i < cachedStamps.length && cachedStamps[i] == stamp) {
            return cachedAddresses[i] + (a & pageMask);
        }
        final long base = store.readAddress(pageTable.pageId(a >>> pageShift));
        if (i >= cachedStamps.length) {
            cachedStamps = Arrays.copyOf(cachedStamps, Math.max(i + 1, 2 * cachedStamps.length));
            cachedAddresses = Arrays.copyOf(cachedAddresses, cachedStamps.length);
        }
        cachedAddresses[i] = base;
        cachedStamps[i] = stamp;
        return base + (a & pageMask);
    }

    /** Forgets cached page addresses (the page table was renumbered). */
    private void clearAddressCache() {
        cachedStamps = new long[Math.max(16, pageCount)];
        cachedAddresses = new long[cachedStamps.length];
    }

    /** Raw address of log address {@code a} for an in-place write (copy-on-write for snapshots happens here). */
    long writableAddress(long a) {
        return store.writeAddress(pageTable.pageId(a >>> pageShift)) + (a & pageMask);
    }

    /** Copies {@code length} bytes from log address {@code a} into {@code target}, across pages (spanning records). */
    void copyOut(long a, int length, MutableDirectBuffer target, int targetOffset) {
        if (length > 0) {
            target.checkLimit(targetOffset + length); // an expandable buffer grows here
        }
        int done = 0;
        while (done < length) {
            final long at = a + done;
            final int n = (int) Math.min(length - done, pageSize - (at & pageMask));
            UnsafeApi.copyMemory(
                    null, address(at), target.byteArray(), target.addressOffset() + targetOffset + done, n);
            done += n;
        }
    }

    // ---- appending ----

    /**
     * Appends the record of {@code length} bytes (a multiple of 8) held in {@code record} at 0 and returns its log
     * address. A record longer than a page is written as a spanning record. Pages are allocated before the log
     * changes, so a full store ({@link io.tidemark.StorageSpaceException}) leaves the log as it was.
     */
    long append(DirectBuffer record, int length) {
        if (length > pageSize) {
            return appendSpanning(record, length);
        }
        final long at = reserve(length);
        UnsafeApi.copyMemory(record.byteArray(), record.addressOffset(), null, tailAddress(at), length);
        return at;
    }

    /** Raw address of {@code at} in the last page of the page table, for writing. */
    private long tailAddress(long at) {
        if (store.writeStamp() != tailPageStamp || tailPageAddress == 0) {
            tailPageAddress = store.writeAddress(pageTable.pageId(firstPage + pageCount - 1));
            tailPageStamp = store.writeStamp();
        }
        return tailPageAddress + (at & pageMask);
    }

    /**
     * Makes room for a record of {@code length <= pageSize} bytes at the tail and returns its address; the caller
     * writes it at once. Invariant: when the tail is at a page boundary, that page is not allocated yet.
     */
    private long reserve(int length) {
        openIfEmpty();
        final long offset = tail & pageMask;
        if (offset == 0) {
            addPage(store.allocatePage());
        } else if (offset + length > pageSize) {
            final long id = store.allocatePage();
            LogRecord.writeFiller(tailAddress(tail), (int) (pageSize - offset));
            addPage(id);
            tail = (tail | pageMask) + 1;
        }
        final long at = tail;
        tail += length;
        return at;
    }

    private void openIfEmpty() {
        if (pageCount == 0) {
            addPage(store.allocatePage());
            LogRecord.writeFiller(tailAddress(0), (int) FIRST_ADDRESS);
            tail = FIRST_ADDRESS;
        }
    }

    private void addPage(long id) {
        pageTable.set(firstPage + pageCount, id);
        pageCount++;
        tailPageStamp = -1;
        pageTurns++;
    }

    /** Pages added since the log was created; compaction runs after page turns. */
    long pageTurns() {
        return pageTurns;
    }

    /**
     * Frees the first {@code pages} log pages (compaction moved what was live in them to the tail) and moves
     * {@code begin} past them. The page store retires a freed page a snapshot in flight still reads.
     */
    void dropFirstPages(int pages) {
        // records below the read-only marker never change, nor do spanning records (never updated in place), which is
        // why a segment that ends with a spanning record may end past the marker; the last page always stays
        if (pages <= 0 || pages >= pageCount) {
            throw new IllegalStateException(
                    "cannot drop log pages: pages=" + pages + ", pageCount=" + pageCount + ", readOnly=" + readOnly);
        }
        for (int i = 0; i < pages; i++) {
            store.freePage(pageTable.pageId(firstPage + i));
        }
        pageCount -= pages;
        firstPage += pages;
        pageTable.dropBelow(firstPage);
        clearAddressCache();
        begin = firstPage << pageShift;
        tailPageStamp = -1;
    }

    private long appendSpanning(DirectBuffer record, int length) {
        openIfEmpty();
        final int pages = (length + pageSize - 1) >>> pageShift;
        final long[] ids = new long[pages];
        int allocated = 0;
        try {
            for (; allocated < ids.length; allocated++) {
                ids[allocated] = store.allocatePage();
            }
        } catch (RuntimeException ex) {
            for (int i = 0; i < allocated; i++) {
                store.freePage(ids[i]);
            }
            throw ex;
        }
        int used = 0;
        final long offset = tail & pageMask;
        if (offset != 0) {
            LogRecord.writeFiller(tailAddress(tail), (int) (pageSize - offset));
            tail = (tail | pageMask) + 1;
        }
        final long at = tail;
        for (int p = 0; p < pages; p++) {
            addPage(ids[used++]);
            final int n = Math.min(pageSize, length - p * pageSize);
            UnsafeApi.copyMemory(
                    record.byteArray(), record.addressOffset() + (long) p * pageSize, null, tailAddress(0), n);
        }
        tail = at + ((long) pages << pageShift);
        return at;
    }

    /**
     * Starts a restore at the same addresses into an empty log: {@code begin}, the read-only marker and the tail are
     * set; the pages are allocated in address order by {@link #restoreAddress} as the bytes arrive (so a log larger than
     * the budget is written back once, not allocated, evicted and read back), and {@link #finishRestore} checks them.
     */
    void restoreLayout(long begin, long marker) {
        if (pageCount != 0) {
            throw new IllegalStateException("restore into a log that is not empty: pages=" + pageCount);
        }
        firstPage = begin >>> pageShift;
        pageTable.reset(firstPage);
        this.begin = begin;
        this.readOnly = marker;
        this.tail = marker;
        tailPageStamp = -1;
        pageTurns++;
        clearAddressCache();
    }

    /** The raw address to write restored byte {@code address} at, allocating its page when it is the next one. */
    long restoreAddress(long address) {
        final long logPage = address >>> pageShift;
        if (logPage == firstPage + pageCount) {
            final long id = store.allocatePageForOverwrite(); // every byte is written: restored, or zeroed here
            pageTable.set(logPage, id);
            pageCount++;
            if (pageCount == 1) {
                UnsafeApi.setMemory(store.writeAddress(id), begin & pageMask, (byte) 0);
            }
        } else if (logPage > firstPage + pageCount || logPage < firstPage) {
            throw new IllegalStateException(
                    "restored log bytes out of order: address=" + address + ", pages=" + firstPage + "+" + pageCount);
        }
        return store.writeAddress(pageTable.pageId(logPage)) + (address & pageMask);
    }

    /** Ends a restore: every page up to the tail arrived; the tail page's unwritten end is zeroed. */
    void finishRestore() {
        final long pages = ((tail - 1) >>> pageShift) - firstPage + 1;
        if (pageCount != pages) {
            throw new IllegalStateException("restored log incomplete: pages=" + pageCount + ", expected=" + pages);
        }
        if ((tail & pageMask) != 0) {
            UnsafeApi.setMemory(
                    store.writeAddress(pageTable.pageId(firstPage + pageCount - 1)) + (tail & pageMask),
                    pageSize - (tail & pageMask),
                    (byte) 0);
        }
        pageTurns++;
    }
}
