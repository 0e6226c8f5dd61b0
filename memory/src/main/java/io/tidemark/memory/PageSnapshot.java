package io.tidemark.memory;

import static io.tidemark.memory.PageState.CAPTURED;

import io.tidemark.StateAccessException;
import io.tidemark.StorageIOException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The snapshot reader's view of a {@link PageStore} as it was at {@link PageStore#beginSnapshot()}: which pages
 * existed, which were dirty since the last completed snapshot, and their content at that moment.
 *
 * <h2>Threads</h2>
 *
 * One reader thread at a time, concurrently with the store's owner, from the hand-over (through a happens-before
 * edge) until the owner ends the snapshot with {@link PageStore#completeSnapshot} or {@link PageStore#abortSnapshot};
 * the reader's last call must happen-before that. {@link #epoch()}, {@link #pageCount()} and {@link #pageSize()} may
 * be called from any thread at any time.
 *
 * <h2>Reading a page</h2>
 *
 * {@link #readPage} copies the page into the caller's buffer; it never hands out page memory. It is lock-free against
 * the owner: if the owner has not written the page since the snapshot began, the live page is copied and the page
 * marked captured with a CAS, after which the owner writes it without copying; if the owner's first write won the
 * race, it had preserved the content in a side page first and the copy is taken from there. Read each page once:
 * a second read of a page the owner rewrote after the first read fails.
 *
 * <h2>Allocation</h2>
 *
 * None: iteration is by page id ({@code for (long id = s.nextLivePage(0); id >= 0; id = s.nextLivePage(id + 1))}).
 * The reader never maps a segment: a page whose segment the owner has unmapped is read from the segment file (cold
 * path; opens a read-only channel per segment once and allocates one direct buffer of a page).
 */
public final class PageSnapshot {
    private final PageAllocator pages;
    private final Residency residency;
    private final int pageSize;
    private final int epoch;
    private final int writerEpoch;
    private final long pageCount;
    private final PageBitSet dirty;
    private final UnsafeBuffer source = new UnsafeBuffer(new byte[0]);
    private volatile boolean ended;
    private ByteBuffer fileBuffer;
    private FileChannel[] fileChannels;
    private long fileReads;

    PageSnapshot(PageAllocator pages, Residency residency, int pageSize, int epoch, long pageCount, PageBitSet dirty) {
        this.pages = pages;
        this.residency = residency;
        this.pageSize = pageSize;
        this.epoch = epoch;
        this.writerEpoch = epoch + 1;
        this.pageCount = pageCount;
        this.dirty = dirty;
    }

    /** The epoch this snapshot captures: pages written up to and including this epoch. */
    public int epoch() {
        return epoch;
    }

    /** Page ids of the snapshot are below this bound (the store's page count at begin). */
    public long pageCount() {
        return pageCount;
    }

    public int pageSize() {
        return pageSize;
    }

    /** True until the owner completes or aborts the snapshot. */
    public boolean isActive() {
        return !ended;
    }

    /** True if the page was allocated at begin. */
    public boolean contains(long pageId) {
        requireActive();
        return pageId >= 0 && pageId < pageCount && PageState.belongsTo(word(pageId), writerEpoch);
    }

    /**
     * The smallest id {@code >= fromPageId} of a page allocated at begin, or -1: the page list of a full snapshot.
     */
    public long nextLivePage(long fromPageId) {
        requireActive();
        for (long pageId = Math.max(0, fromPageId); pageId < pageCount; pageId++) {
            if (PageState.belongsTo(word(pageId), writerEpoch)) {
                return pageId;
            }
        }
        return -1;
    }

    /**
     * The smallest id {@code >= fromPageId} of a page allocated at begin and allocated or written since the last
     * completed snapshot began (aborted snapshots included), or -1: the page list of an incremental snapshot.
     */
    public long nextDirtyPage(long fromPageId) {
        requireActive();
        long pageId = dirty.nextSetBit(Math.max(0, fromPageId));
        while (pageId >= 0 && (pageId >= pageCount || !PageState.belongsTo(word(pageId), writerEpoch))) {
            pageId = dirty.nextSetBit(pageId + 1);
        }
        return pageId;
    }

    /**
     * Copies the page's content as of begin into {@code target} at {@code offset} ({@link #pageSize()} bytes).
     *
     * @throws StateAccessException if the page was not allocated at begin, the snapshot has ended, or the page was
     *     read before and rewritten since.
     * @throws IndexOutOfBoundsException if {@code target} is too small.
     */
    public void readPage(long pageId, MutableDirectBuffer target, int offset) {
        requireActive();
        if (pageId < 0 || pageId >= pageCount) {
            throw new StateAccessException("page not in snapshot: pageId=" + pageId + ", limit=" + pageCount);
        }
        target.boundsCheck(offset, pageSize);
        final Segment segment = pages.segmentOf(pageId);
        final int index = pages.indexOf(pageId);
        while (true) {
            final long word = segment.states.get(index);
            if (!PageState.belongsTo(word, writerEpoch)) {
                throw new StateAccessException("page not in snapshot: pageId=" + pageId + ", epoch=" + epoch);
            }
            if (PageState.isPreserved(word, writerEpoch)) {
                final long side = PageState.sidePage(word);
                copy(pages.segmentOf(side), pages.indexOf(side), target, offset);
                return;
            }
            if (PageState.epoch(word) == writerEpoch) {
                throw new StateAccessException(
                        "page read twice and rewritten in between: pageId=" + pageId + ", epoch=" + epoch);
            }
            copy(segment, index, target, offset);
            // Release: our reads of the live page precede the capture mark. If the owner's CAS got there first the
            // copy may be torn; loop and take the preserved side page instead.
            final long captured = PageState.word(epoch, CAPTURED, PageState.flags(word), 0);
            if (segment.states.compareAndSet(index, word, captured)) {
                return;
            }
        }
    }

    private void copy(Segment segment, int index, MutableDirectBuffer target, int offset) {
        final long address = residency.readerPin(segment);
        if (address == 0) {
            readFile(segment, index, target, offset);
            return;
        }
        try {
            source.wrap(address + (long) index * pageSize, pageSize);
            target.putBytes(offset, source, 0, pageSize);
        } finally {
            source.wrap(EMPTY);
            residency.readerUnpin(segment);
        }
    }

    /**
     * The segment is not mapped: only the owner maps, so the reader reads the page from the segment file (the page
     * cache holds what the mapping wrote). A concurrent owner write is caught by the caller's state-word check.
     */
    private void readFile(Segment segment, int index, MutableDirectBuffer target, int offset) {
        if (fileBuffer == null) {
            fileBuffer = ByteBuffer.allocateDirect(pageSize);
            fileChannels = new FileChannel[Math.max(4, segment.index + 1)];
        }
        if (segment.index >= fileChannels.length) {
            fileChannels = Arrays.copyOf(fileChannels, Math.max(segment.index + 1, fileChannels.length * 2));
        }
        try {
            FileChannel channel = fileChannels[segment.index];
            if (channel == null) {
                channel = FileChannel.open(segment.path, StandardOpenOption.READ);
                fileChannels[segment.index] = channel;
            }
            fileBuffer.clear();
            final long position = (long) index * pageSize;
            while (fileBuffer.hasRemaining()) {
                if (channel.read(fileBuffer, position + fileBuffer.position()) < 0) {
                    throw new StorageIOException("segment file ends inside a page: file=" + segment.path + ", offset="
                            + (position + fileBuffer.position()) + ", pageSize=" + pageSize);
                }
            }
            fileReads++;
        } catch (IOException ex) {
            throw new StorageIOException(
                    "cannot read page from segment file: file=" + segment.path + ", page=" + index + ", reason=" + ex,
                    ex);
        }
        target.putBytes(offset, fileBuffer, 0, pageSize);
    }

    /** Pages this reader read from segment files because their segment was not mapped. Reader thread. */
    public long fileReads() {
        return fileReads;
    }

    private static final byte[] EMPTY = new byte[0];

    private long word(long pageId) {
        return pages.segmentOf(pageId).states.get(pages.indexOf(pageId));
    }

    PageBitSet dirtySet() {
        return dirty;
    }

    /** Owner, after the reader's last call: marks the snapshot ended and closes the reader's file channels. */
    void end() {
        ended = true;
        if (fileChannels != null) {
            for (FileChannel channel : fileChannels) {
                if (channel != null) {
                    try {
                        channel.close();
                    } catch (IOException ignored) {
                        // read-only channel: nothing was written that a failed close could lose
                    }
                }
            }
            fileChannels = null;
        }
    }

    private void requireActive() {
        if (ended) {
            throw new StateAccessException("snapshot has ended: epoch=" + epoch);
        }
    }

    @Override
    public String toString() {
        return "PageSnapshot{epoch=" + epoch + ", pageCount=" + pageCount + ", active=" + !ended + "}";
    }
}
