package io.tidemark.pipeline.checkpoint;

import io.tidemark.CorruptCheckpointException;
import io.tidemark.StorageIOException;
import io.tidemark.backend.snapshot.SnapshotReader;
import io.tidemark.backend.snapshot.SnapshotStorage;
import io.tidemark.backend.snapshot.StreamHandle;
import io.tidemark.checkpoint.fs.NioCheckpointFileSystem;
import io.tidemark.checkpoint.storage.CheckpointLayout;
import io.tidemark.checkpoint.storage.CheckpointSnapshotReader;
import io.tidemark.checkpoint.storage.CheckpointStorageConfig;
import io.tidemark.checkpoint.storage.CompletedCheckpoint;
import io.tidemark.checkpoint.storage.FileSnapshotStorage;
import io.tidemark.checkpoint.storage.PendingCheckpoint;
import io.tidemark.checkpoint.storage.RestorePolicy;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pipeline's checkpoints in the checkpoint module's storage ({@code docs/spec/checkpoint-format.md}): data files
 * with headers, zstd blocks and CRC32C, {@code _metadata} committed by the module's protocol, retention and shared-file
 * reference counts. The pipeline's own {@link CheckpointMetadata} (the task state handles) is the opaque payload of
 * {@code _metadata}. Opened with {@link RestorePolicy#LATEST_ONLY}: a corrupt latest checkpoint fails the start.
 * Thread-safe.
 */
public final class ModuleCheckpointStorage implements CheckpointStorage {
    private final io.tidemark.checkpoint.storage.CheckpointStorage storage;
    private final AtomicLong nextId;
    private final Map<Long, FileSnapshotStorage> pending = new ConcurrentHashMap<>();

    public ModuleCheckpointStorage(Path root, int retained) {
        this.storage = io.tidemark.checkpoint.storage.CheckpointStorage.open(
                CheckpointStorageConfig.of(root).withRetainedCheckpoints(retained),
                NioCheckpointFileSystem.INSTANCE,
                RestorePolicy.LATEST_ONLY);
        this.nextId = new AtomicLong(Math.max(1, storage.highestCheckpointId() + 1));
    }

    @Override
    public void reserveIdsThrough(long id) {
        nextId.accumulateAndGet(id + 1, Math::max);
    }

    @Override
    public long nextCheckpointId() {
        return nextId.getAndIncrement();
    }

    @Override
    public SnapshotStorage begin(long id) {
        FileSnapshotStorage snapshotStorage = FileSnapshotStorage.of(storage.begin(id));
        pending.put(id, snapshotStorage);
        return snapshotStorage;
    }

    @Override
    public void commit(CheckpointMetadata metadata, long bytes) {
        FileSnapshotStorage snapshotStorage = pending.remove(metadata.checkpointId());
        if (snapshotStorage == null) {
            throw new IllegalStateException("checkpoint not begun: id=" + metadata.checkpointId());
        }
        List<StreamHandle> streams = streamsOf(metadata);
        PendingCheckpoint checkpoint = snapshotStorage.pending();
        try {
            snapshotStorage.referenceStreams(streams);
        } catch (RuntimeException e) {
            checkpoint.abort(e);
            throw e;
        }
        checkpoint.commit(metadata.encode());
    }

    @Override
    public void abort(long id) {
        FileSnapshotStorage snapshotStorage = pending.remove(id);
        if (snapshotStorage != null) {
            try {
                snapshotStorage.pending().abort(new IllegalStateException("checkpoint " + id + " aborted"));
            } catch (RuntimeException ignored) {
                // leftovers are deleted at the next open
            }
        }
    }

    @Override
    public Optional<CheckpointMetadata> latest() {
        CompletedCheckpoint latest = storage.latest();
        return latest == null ? Optional.empty() : Optional.of(decode(latest));
    }

    @Override
    public SnapshotReader readerFor(long checkpointId) {
        for (CompletedCheckpoint c : storage.retained()) {
            if (c.checkpointId() == checkpointId) {
                return new CheckpointSnapshotReader(NioCheckpointFileSystem.INSTANCE, c);
            }
        }
        throw new CorruptCheckpointException(
                "checkpoint no longer retained",
                describe(checkpointId),
                0,
                "retained checkpoint " + checkpointId,
                "none");
    }

    @Override
    public String describe(long id) {
        return storage.layout().checkpointDirectory(id).toString();
    }

    @Override
    public void close() {
        storage.close();
    }

    @Override
    public SavepointWriter beginSavepoint(long id, Path targetDirectory) {
        Path directory = targetDirectory.resolve("savepoint-" + id);
        PendingCheckpoint savepoint = io.tidemark.checkpoint.storage.CheckpointStorage.beginSavepoint(
                NioCheckpointFileSystem.INSTANCE,
                directory,
                id,
                storage.config().compression());
        FileSnapshotStorage snapshotStorage = FileSnapshotStorage.of(savepoint);
        return new SavepointWriter() {
            @Override
            public SnapshotStorage storage() {
                return snapshotStorage;
            }

            @Override
            public String commit(CheckpointMetadata metadata) {
                snapshotStorage.referenceStreams(streamsOf(metadata));
                savepoint.commit(metadata.encode());
                return directory.toString();
            }

            @Override
            public void abort(String reason) {
                try {
                    savepoint.abort(new IllegalStateException("savepoint " + id + " aborted: " + reason));
                } catch (RuntimeException ignored) {
                    // a leftover savepoint directory has no _metadata and is never restored
                }
            }
        };
    }

    private static List<StreamHandle> streamsOf(CheckpointMetadata metadata) {
        List<StreamHandle> streams = new ArrayList<>();
        for (TaskState task : metadata.tasks()) {
            if (task.keyed() != null) {
                streams.addAll(task.keyed().streams());
            }
            streams.add(task.operatorState().stream());
        }
        return streams;
    }

    static CheckpointMetadata decode(CompletedCheckpoint checkpoint) {
        return CheckpointMetadata.decode(
                checkpoint.metadata().payload(),
                checkpoint.directory().resolve(CheckpointLayout.METADATA).toString());
    }

    /**
     * See {@link CheckpointStorage#locate}. Read-only: takes no lock and deletes nothing, so it works beside a running
     * job (whose retention may still remove an old checkpoint while it is read).
     */
    static Located locate(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path dir = Files.isDirectory(absolute) ? absolute : absolute.getParent();
        if (!Files.exists(dir.resolve(CheckpointLayout.METADATA))) {
            dir = newestCheckpoint(dir);
        }
        CompletedCheckpoint found =
                io.tidemark.checkpoint.storage.CheckpointStorage.loadReadOnly(NioCheckpointFileSystem.INSTANCE, dir);
        return new Located(
                decode(found), new CheckpointSnapshotReader(NioCheckpointFileSystem.INSTANCE, found), dir.toString());
    }

    private static Path newestCheckpoint(Path root) {
        long best = -1;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, CheckpointLayout.CHECKPOINT_PREFIX + "*")) {
            for (Path d : dirs) {
                String suffix = d.getFileName().toString().substring(CheckpointLayout.CHECKPOINT_PREFIX.length());
                if (suffix.matches("[0-9]+") && Files.exists(d.resolve(CheckpointLayout.METADATA))) {
                    best = Math.max(best, Long.parseLong(suffix));
                }
            }
        } catch (IOException e) {
            throw new StorageIOException("cannot list checkpoint directory: dir=" + root + ": " + e, e);
        }
        if (best < 0) {
            throw new CorruptCheckpointException(
                    "no completed checkpoint", root.toString(), 0, "chk-<id>/_metadata", "none");
        }
        return root.resolve(CheckpointLayout.CHECKPOINT_PREFIX + best);
    }
}
