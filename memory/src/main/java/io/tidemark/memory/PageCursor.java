package io.tidemark.memory;

import io.tidemark.StateAccessException;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A reusable flyweight over one acquired page. {@link PageStore#acquireRead} or {@link PageStore#acquireWrite} wraps
 * it around a page and holds the page resident; {@link #release()} (or {@link #close()}, for try-with-resources)
 * lets it go and wraps it around nothing.
 *
 * <pre>{@code
 * try (PageCursor page = store.acquireWrite(pageId, cursor)) {   // returns the same cursor: no allocation
 *     page.mutableBuffer().putLong(0, value, ByteOrder.LITTLE_ENDIAN);
 * }
 * }</pre>
 *
 * <p><b>Validity.</b> The buffer addresses the page's frame directly and is valid only between acquire and release:
 * while the cursor holds the page its frame is not evicted (a plain hold count, owner thread), and after release the
 * buffer has length 0, so a stale access fails the bounds check instead of touching a frame that may hold another
 * page by then. Never keep the buffer's address or a second buffer wrapped around it.
 *
 * <p><b>Threads.</b> Belongs to the store's owner thread, like the store itself. One cursor holds one page; create
 * one cursor per page you need at once (a handful; each held cursor keeps a frame from eviction). Creating a
 * cursor allocates; using it does not.
 */
public final class PageCursor implements AutoCloseable {
    /** {@link #pageId()} of a cursor that holds no page. */
    public static final long NO_PAGE = -1;

    private static final byte[] EMPTY = new byte[0];

    private final UnsafeBuffer buffer = new UnsafeBuffer(EMPTY);
    private PageStore store;
    private Segment segment;
    private int index;
    private long pageId = NO_PAGE;
    private long address;
    private boolean writable;

    /** The page held, or {@link #NO_PAGE}. */
    public long pageId() {
        return pageId;
    }

    /**
     * The raw address of the page's first byte, for flyweights that work on addresses; valid until {@link #release()},
     * like {@link #buffer()}, and 0 while no page is held. Writing through it is allowed only for a write cursor.
     */
    public long address() {
        return address;
    }

    public boolean isAcquired() {
        return pageId != NO_PAGE;
    }

    public boolean isWritable() {
        return writable;
    }

    /** The page's bytes, {@code pageSize} long; valid until {@link #release()}. Byte order is the caller's choice. */
    public DirectBuffer buffer() {
        return buffer;
    }

    /**
     * The page's bytes for writing; valid until {@link #release()}.
     *
     * @throws StateAccessException if the page was acquired for reading: writes through a read cursor would escape
     *     copy-on-write and dirty tracking.
     */
    public MutableDirectBuffer mutableBuffer() {
        if (!writable) {
            throw new StateAccessException("page acquired for reading cannot be written: pageId=" + pageId);
        }
        return buffer;
    }

    /**
     * Lets the page go (it may be evicted again) and detaches the buffer.
     *
     * @throws StateAccessException if the cursor holds no page.
     */
    public void release() {
        if (pageId == NO_PAGE) {
            throw new StateAccessException("cursor holds no page: pageId=" + NO_PAGE);
        }
        store.release(segment, index, writable);
        buffer.wrap(EMPTY);
        store = null;
        segment = null;
        pageId = NO_PAGE;
        address = 0;
        writable = false;
    }

    /** Releases the page if one is held; a no-op otherwise. */
    @Override
    public void close() {
        if (pageId != NO_PAGE) {
            release();
        }
    }

    void requireReleased() {
        if (pageId != NO_PAGE) {
            throw new StateAccessException("cursor already holds a page: pageId=" + pageId);
        }
    }

    void wrap(PageStore store, Segment segment, int index, long pageId, long address, int length, boolean writable) {
        this.store = store;
        this.segment = segment;
        this.index = index;
        this.pageId = pageId;
        this.writable = writable;
        this.address = address;
        buffer.wrap(address, length);
    }
}
