package io.tidemark.jmh.checkpoint;

import java.io.IOException;

/**
 * One keyed backend with one {@code byte[]} value state, checkpointed into real files in its own
 * directory: what the checkpoint and restore benchmarks drive. Keys are indexes into the benchmark's
 * {@link io.tidemark.jmh.keys.KeySpace}.
 *
 * <p>Single threaded: the JMH thread that opened it runs the synchronous part, the asynchronous part (inline, right
 * after) and the restores, and closes it.
 */
interface CheckpointSubject extends AutoCloseable {
    String name();

    /** Sets the value of one key (the array is kept by heap backends: never change it afterwards). */
    void put(int key, byte[] value) throws Exception;

    /**
     * Runs one complete checkpoint: the synchronous part, the asynchronous part on this thread, then whatever makes it
     * complete (Tidemark: commit of {@code _metadata}; both: notify the backend), each timed.
     *
     * @param incremental ask for an incremental snapshot; backends without one write a full snapshot
     */
    CheckpointSample checkpoint(long checkpointId, boolean incremental) throws Exception;

    /**
     * Builds a fresh backend of the same kind from the latest completed checkpoint, reads {@code probeKey} through the
     * state API (so lazily restored state is counted), and disposes of it.
     *
     * @return the length of the probe key's value, so the work cannot be optimised away
     */
    int restoreLatest(int probeKey) throws Exception;

    @Override
    void close() throws IOException;
}
