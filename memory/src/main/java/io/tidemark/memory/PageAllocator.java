package io.tidemark.memory;

import io.tidemark.StateSizeException;
import java.util.Arrays;

/**
 * Page ids, segments and the free list. A page id is {@code segmentIndex * pagesPerSegment + pageIndex}; segments are
 * only ever added, so an id means the same page for the life of the store. Growth adds one segment descriptor and
 * pushes its pages on the free list, lowest id on top; it touches no file (a segment file is created at the first
 * write-back of one of its pages, see {@link SegmentFiles}). A page given back loses its frame without a write-back.
 *
 * <p>Owner thread, except {@link #segmentOf} and {@link #indexOf}, which the snapshot reader uses too: the segment
 * array is republished (volatile) on growth, and the reader only asks for pages that existed when its snapshot began.
 */
final class PageAllocator {
    private final SegmentFiles files;
    private final Residency residency;
    private final long maxStoreSize;
    private final int pagesPerSegmentShift;
    private final int pageIndexMask;
    private final int maxSegments;
    private final LongStack freePages = new LongStack();

    private volatile Segment[] segments = new Segment[0];
    /** The same array for the owner, read without a fence on the hot path (the owner is the only writer). */
    private Segment[] ownerSegments = new Segment[0];

    private int segmentCount;

    PageAllocator(PageStoreContext context, SegmentFiles files, Residency residency) {
        this.files = files;
        this.residency = residency;
        this.maxStoreSize = context.maxStoreSize();
        final int pagesPerSegment = context.segmentSize() / context.pageSize();
        this.pagesPerSegmentShift = Integer.numberOfTrailingZeros(pagesPerSegment);
        this.pageIndexMask = pagesPerSegment - 1;
        this.maxSegments = (int) (context.maxStoreSize() / context.segmentSize());
    }

    /**
     * Pops a free page id, growing the store by one segment if none is free. The caller sets the page's state word.
     *
     * @throws StateSizeException if growth would exceed {@code maxStoreSize}.
     */
    long take() {
        if (freePages.isEmpty()) {
            grow();
        }
        return freePages.pop();
    }

    /** Marks the page free, drops its frame (the content no longer matters) and pushes it on the free list. */
    void give(long pageId) {
        final Segment segment = ownerSegment(pageId);
        final int index = indexOf(pageId);
        // A page id given back after a failed allocation still has the FREE word: it never held content.
        final boolean live = segment.states.getPlain(index) != PageState.FREE;
        segment.states.set(index, PageState.FREE);
        residency.drop(segment, index, live);
        freePages.push(pageId);
    }

    private void grow() {
        if (segmentCount == maxSegments) {
            throw new StateSizeException("page store full: maxStoreSize=" + maxStoreSize + ", segments=" + segmentCount
                    + ", limit=" + maxSegments);
        }
        final int index = segmentCount;
        final Segment segment = new Segment(index, files.pathOf(index), pageIndexMask + 1);
        final Segment[] grown = Arrays.copyOf(segments, index + 1);
        grown[index] = segment;
        ownerSegments = grown;
        segments = grown;
        segmentCount = index + 1;
        final long first = (long) index << pagesPerSegmentShift;
        for (long pageId = first + pageIndexMask; pageId >= first; pageId--) {
            freePages.push(pageId);
        }
    }

    /** Owner thread: the segment of a page, without a volatile read. */
    Segment ownerSegment(long pageId) {
        return ownerSegments[(int) (pageId >>> pagesPerSegmentShift)];
    }

    /** Any thread: the segment of a page that existed when the caller's snapshot began. */
    Segment segmentOf(long pageId) {
        return segments[(int) (pageId >>> pagesPerSegmentShift)];
    }

    int indexOf(long pageId) {
        return (int) pageId & pageIndexMask;
    }

    long pageCount() {
        return (long) segmentCount << pagesPerSegmentShift;
    }

    int segmentCount() {
        return segmentCount;
    }

    /** Deletes every segment file that was created; called on close. Throws the first failure. */
    void deleteFiles() {
        RuntimeException failure = null;
        for (int i = 0; i < segmentCount; i++) {
            try {
                SegmentFiles.delete(segments[i].path);
            } catch (RuntimeException ex) {
                if (failure == null) {
                    failure = ex;
                } else {
                    failure.addSuppressed(ex);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
