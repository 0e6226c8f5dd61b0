package io.tidemark.pipeline.checkpoint;

import io.tidemark.backend.snapshot.SnapshotReader;
import io.tidemark.backend.snapshot.SnapshotStorage;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the pipeline keeps checkpoints. The runtime talks only to this interface so that the storage can be swapped
 * ({@link ModuleCheckpointStorage}, the checkpoint module's storage, by default; the pipeline's own
 * {@link FileCheckpointStorage} with {@code -Dtidemark.checkpoint.storage=pipeline-v1}).
 * Thread-safe.
 */
public interface CheckpointStorage extends AutoCloseable {
    /** An id greater than every checkpoint id ever started in this storage. */
    long nextCheckpointId();

    /**
     * Makes every later {@link #nextCheckpointId()} greater than {@code id}: after restoring checkpoint or savepoint
     * {@code id} from elsewhere, new checkpoints must not reuse ids the restored state (and the output committed with
     * it) already used.
     */
    void reserveIdsThrough(long id);

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

    /** Reads the streams of completed checkpoint {@code checkpointId}, verified. */
    SnapshotReader readerFor(long checkpointId);

    /** A human-readable location of checkpoint {@code id}, for logs and the CLI. */
    String describe(long id);

    /** Releases the storage (and its lock on the checkpoint root); completed checkpoints stay. Idempotent. */
    @Override
    void close();

    /** A savepoint being written: self-contained, never removed by retention. */
    interface SavepointWriter {
        SnapshotStorage storage();

        /** Makes the savepoint durable and returns its directory. */
        String commit(CheckpointMetadata metadata);

        /** Discards it; never throws. */
        void abort(String reason);
    }

    /**
     * Begins savepoint {@code id} in a new directory {@code savepoint-<id>} under {@code targetDirectory}.
     *
     * @throws io.tidemark.ConfigurationException if this storage cannot write savepoints
     */
    SavepointWriter beginSavepoint(long id, Path targetDirectory);

    /** A completed checkpoint found by path, and the reader of its streams. */
    record Located(CheckpointMetadata metadata, SnapshotReader reader, String location) {}

    /** The storage selected by {@code -Dtidemark.checkpoint.storage} ({@code module} by default). */
    static CheckpointStorage open(Path root, int retained) {
        return usePipelineFormat()
                ? new FileCheckpointStorage(root, retained)
                : new ModuleCheckpointStorage(root, retained);
    }

    /**
     * Finds a completed checkpoint by path: a {@code chk-N} directory, its {@code _metadata} file, a checkpoint root
     * (its newest checkpoint), or a savepoint directory.
     *
     * @throws io.tidemark.CorruptCheckpointException if there is none there or it does not verify
     */
    static Located locate(Path path) {
        return usePipelineFormat() ? FileCheckpointStorage.locate(path) : ModuleCheckpointStorage.locate(path);
    }

    private static boolean usePipelineFormat() {
        return "pipeline-v1".equals(System.getProperty("tidemark.checkpoint.storage", "module"));
    }
}
