package io.tidemark.jmh.snapshot;

import java.io.IOException;

/**
 * One keyed backend with one value state, as the snapshot-pause benchmark drives it. The owner thread (the benchmark's
 * main thread) calls every method but {@link #runAsync}, which runs on the snapshot thread.
 */
interface PauseSubject extends AutoCloseable {
    /** Writes a new value for the key at {@code index} (not measured). */
    void update(int index) throws Exception;

    /**
     * The synchronous part of a snapshot, the call that is timed: exactly the backend's snapshot call, nothing around
     * it. Returns the backend's asynchronous part as it came, for {@link #runAsync}.
     */
    Object snapshot(long checkpointId) throws Exception;

    /** Snapshot thread: runs an asynchronous part {@link #snapshot} returned. */
    void runAsync(Object asyncPart) throws Exception;

    /** Bytes the asynchronous parts wrote so far (any thread; read between asynchronous parts). */
    long bytesWritten();

    /** True if {@code failure} of an asynchronous part means a later snapshot superseded it before it started. */
    default boolean superseded(Throwable failure) {
        return false;
    }

    /** Owner thread: the snapshot's asynchronous part succeeded; tell the backend, as a coordinator would. */
    void completed(long checkpointId) throws Exception;

    @Override
    void close() throws IOException;
}
