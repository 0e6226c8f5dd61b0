package io.tidemark.pipeline.checkpoint;

import io.tidemark.backend.snapshot.SnapshotReader;
import io.tidemark.backend.snapshot.SnapshotStorage;
import java.util.Optional;

/**
 * Where the pipeline keeps checkpoints. The runtime talks only to this interface so that the storage can be swapped
 * (the pipeline's own {@link FileCheckpointStorage} today; the checkpoint module's storage when it is wired in).
 * Thread-safe.
 */
public interface CheckpointStorage {
    /** An id greater than every checkpoint id ever started in this storage. */
    long nextCheckpointId();

    /** Starts checkpoint {@code id}: snapshot streams written through the result belong to it. */
    SnapshotStorage begin(long id);

    /** Makes checkpoint {@code metadata.checkpointId()} durable and visible (atomic), then applies retention. */
    void commit(CheckpointMetadata metadata, long bytes);

    /** Discards a started, uncommitted checkpoint; never throws. */
    void abort(long id);

    /**
     * The newest complete checkpoint, verified.
     *
     * @throws io.tidemark.CorruptCheckpointException if the newest one does not verify (no silent fallback)
     */
    Optional<CheckpointMetadata> latest();

    /** Reads streams of every checkpoint of this storage. */
    SnapshotReader reader();

    /** A human-readable location of checkpoint {@code id}, for logs and the CLI. */
    String describe(long id);
}
