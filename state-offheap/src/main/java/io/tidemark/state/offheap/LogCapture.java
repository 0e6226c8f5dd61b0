package io.tidemark.state.offheap;

import io.tidemark.memory.PageSnapshot;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The log as of a snapshot's synchronous part: its page table (captured in O(1), copied by the owner's next page
 * change), and the addresses {@code begin} and {@code marker} (the read-only marker the synchronous part set). Bytes
 * below the marker never change again, so the snapshot thread reads them through the page snapshot (which protects
 * pages from reuse and the page holding the marker from later appends) while the owner goes on.
 *
 * <p>Created by the owner, read by one snapshot thread.
 */
record LogCapture(LogPageTable.Snapshot pages, long begin, long marker, int pageSize) {
    static LogCapture of(HybridLog log) {
        return new LogCapture(log.capturePageTable(), log.begin(), log.markReadOnly(), log.pageSize);
    }

    int pageShift() {
        return Integer.numberOfTrailingZeros(pageSize);
    }

    long pageIdOf(long address) {
        return pages.pageId(address >>> pageShift());
    }

    /**
     * Copies log bytes {@code [from, to)} (below the marker) to native memory at {@code target}, page by page through
     * {@code snapshot}; {@code page} is a heap buffer of one page, reused.
     */
    void copy(PageSnapshot snapshot, long from, long to, long target, UnsafeBuffer page) {
        long at = from;
        while (at < to) {
            final long pageStart = at & -(long) pageSize;
            final int offset = (int) (at - pageStart);
            final int n = (int) Math.min(to - at, pageSize - offset);
            snapshot.readPage(pageIdOf(at), page, 0);
            UnsafeApi.copyMemory(page.byteArray(), page.addressOffset() + offset, null, target + (at - from), n);
            at += n;
        }
    }
}
