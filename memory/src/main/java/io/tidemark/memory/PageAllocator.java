package io.tidemark.memory;

import io.tidemark.StateSizeException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Page ids, segments and the free list. A page id is {@code segmentIndex * pagesPerSegment + pageIndex}; segments are
 * only ever added, so an id means the same page for the life of the store. Growth creates and preallocates one
 * segment file and pushes its pages on the free list, lowest id on top.
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
     * @throws io.tidemark.StorageSpaceException if growth finds no space on disk.
     * @throws io.tidemark.StorageIOException if growth fails otherwise.
     * @throws StateSizeException if growth would exceed {@code maxStoreSize}.
     */
    long take() {
        if (freePages.isEmpty()) {
            grow();
        }
        return freePages.pop();
    }

    /** Sets the page's state word to free and pushes it on the free list. */
    void give(long pageId) {
        segmentOf(pageId).states.set(indexOf(pageId), PageState.FREE);
        freePages.push(pageId);
    }

    private void grow() {
        if (segmentCount == maxSegments) {
            throw new StateSizeException("page store full: maxStoreSize=" + maxStoreSize + ", segments=" + segmentCount
                    + ", limit=" + maxSegments);
        }
        final int index = segmentCount;
        final Path path = files.pathOf(index);
        files.create(path);
        final Segment segment = new Segment(index, path, pageIndexMask + 1);
        residency.add(segment);
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

    /** Deletes every segment file; called on close after everything is unmapped. Throws the first failure. */
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
