package io.tidemark.checkpoint.savepoint;

import io.tidemark.ConfigurationException;
import io.tidemark.backend.snapshot.SnapshotReader;
import io.tidemark.backend.snapshot.SnapshotStorage;
import io.tidemark.checkpoint.format.CompressionConfig;
import io.tidemark.checkpoint.format.FileReference;
import io.tidemark.checkpoint.fs.CheckpointFileSystem;
import io.tidemark.checkpoint.job.JobSnapshot;
import io.tidemark.checkpoint.job.SubtaskState;
import io.tidemark.checkpoint.storage.CheckpointLayout;
import io.tidemark.checkpoint.storage.CheckpointStorage;
import io.tidemark.checkpoint.storage.CompletedCheckpoint;
import io.tidemark.checkpoint.storage.CrashPoint;
import io.tidemark.checkpoint.storage.FileSnapshotStorage;
import io.tidemark.checkpoint.storage.PendingCheckpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one savepoint: a self-contained directory (exclusive files only, named relative to it, so it can be moved)
 * with its own {@code _metadata}. Subtasks write their canonical snapshots through {@link #storage()} (from their own
 * threads) and hand their {@link SubtaskState} to {@link #add}; {@link #commit()} then runs the checkpoint commit
 * protocol, whose {@code _metadata} rename is the moment the savepoint exists. Until then a crash leaves a directory
 * without {@code _metadata}, which is no savepoint: loading it fails, and {@link #begin} on the same path removes it.
 *
 * <p>Thread-safe. Control plane; allocates and blocks on I/O.
 */
public final class SavepointWriter {
    private final PendingCheckpoint pending;
    private final FileSnapshotStorage storage;
    private final List<SubtaskState> subtasks = new ArrayList<>();

    private SavepointWriter(PendingCheckpoint pending) {
        this.pending = pending;
        this.storage = FileSnapshotStorage.of(pending);
    }

    /**
     * Begins a savepoint in {@code directory}, which must not exist or be the leftover of a savepoint that never
     * completed (only data files and {@code _metadata.tmp}, no {@code _metadata}); the leftover is removed first.
     *
     * @throws ConfigurationException if {@code directory} holds a completed savepoint or anything else
     */
    public static SavepointWriter begin(
            CheckpointFileSystem fs, Path directory, long savepointId, CompressionConfig compression) {
        Path dir = directory.toAbsolutePath().normalize();
        removeIncompleteLeftover(fs, dir);
        return new SavepointWriter(CheckpointStorage.beginSavepoint(fs, dir, savepointId, compression));
    }

    static void removeIncompleteLeftover(CheckpointFileSystem fs, Path dir) {
        if (!fs.exists(dir)) {
            return;
        }
        if (fs.exists(dir.resolve(CheckpointLayout.METADATA))) {
            throw new ConfigurationException("savepoint directory already holds a savepoint: directory=" + dir);
        }
        for (String name : fs.list(dir)) {
            boolean ours = name.equals(CheckpointLayout.METADATA_TMP)
                    || FileReference.isValidName(name) && name.startsWith("s-") && !fs.isDirectory(dir.resolve(name));
            if (!ours) {
                throw new ConfigurationException("savepoint directory exists and is not an incomplete savepoint:"
                        + " directory=" + dir + ", entry=" + name);
            }
        }
        fs.deleteRecursively(dir);
        fs.syncDirectory(dir.getParent());
    }

    public long savepointId() {
        return pending.checkpointId();
    }

    public Path directory() {
        return pending.directory();
    }

    /** Where subtasks write their canonical snapshots ({@code snapshot(id, SnapshotKind.CANONICAL, storage())}). */
    public SnapshotStorage storage() {
        return storage;
    }

    /** Reads back streams this savepoint has finished (to list their states). */
    public SnapshotReader reader() {
        return storage.reader();
    }

    /** Records the state of one subtask; its streams must be finished. */
    public void add(SubtaskState subtask) {
        storage.referenceStreams(subtask.streams());
        synchronized (this) {
            subtasks.add(subtask);
        }
    }

    /**
     * Commits: every operator must be whole (each subtask index once). On failure the directory is removed.
     *
     * @return the completed savepoint
     */
    public CompletedCheckpoint commit() {
        byte[] payload;
        try {
            synchronized (this) {
                payload = JobSnapshot.of(pending.checkpointId(), true, subtasks).toPayload();
            }
        } catch (RuntimeException e) {
            abort(e);
            throw e;
        }
        CrashPoint.hit(CrashPoint.SAVEPOINT_BEFORE_PUBLISH);
        return pending.commit(payload);
    }

    /** Discards the savepoint and its directory. Idempotent. */
    public void abort(Throwable reason) {
        pending.abort(reason);
    }
}
