package io.tidemark.backend.snapshot;

import io.tidemark.keygroup.KeyGroupRange;

/**
 * Where backends write snapshot streams during the asynchronous part of a snapshot. The checkpoint module implements it
 * on files; {@link InMemorySnapshotStorage} keeps streams in memory for tests and embedding. Thread-safe: several
 * snapshot threads may create outputs concurrently.
 */
public interface SnapshotStorage {
    /**
     * Opens a new stream.
     *
     * @param name a name unique within this snapshot for this backend, e.g. {@code "keyed-0-127"}
     * @param keyGroupRange the key groups the stream holds ({@link KeyGroupRange#EMPTY} for operator state)
     * @param shared true when later incremental snapshots may reference the stream
     */
    SnapshotOutput createOutput(String name, KeyGroupRange keyGroupRange, boolean shared);

    /** A reader over the streams this storage wrote (and those of earlier snapshots in the same storage). */
    SnapshotReader reader();
}
