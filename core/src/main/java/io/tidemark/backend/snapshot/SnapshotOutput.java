package io.tidemark.backend.snapshot;

import java.io.OutputStream;

/**
 * A byte sink for one snapshot stream. Used by one thread (the snapshot thread). Either
 * {@link #closeAndGetHandle()} or {@link #abort()} must be called exactly once.
 */
public abstract class SnapshotOutput extends OutputStream {
    /** Number of logical bytes written so far: the offset of the next byte, for indexes such as key-group offsets. */
    public abstract long position();

    /**
     * Finishes the stream and makes it durable (flushed and fsynced for file storage) before returning.
     *
     * @throws io.tidemark.StorageSpaceException if the storage ran out of space; the partial stream is removed
     * @throws io.tidemark.StorageIOException on another I/O failure; the partial stream is removed
     */
    public abstract StreamHandle closeAndGetHandle();

    /** Discards the stream and whatever was written; never throws. */
    public abstract void abort();

    /** Same as {@link #abort()} when neither finishing method was called. */
    @Override
    public abstract void close();
}
