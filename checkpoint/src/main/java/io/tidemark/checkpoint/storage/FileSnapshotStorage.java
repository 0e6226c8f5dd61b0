package io.tidemark.checkpoint.storage;

import io.tidemark.backend.snapshot.SnapshotOutput;
import io.tidemark.backend.snapshot.SnapshotReader;
import io.tidemark.backend.snapshot.SnapshotStorage;
import io.tidemark.backend.snapshot.StreamHandle;
import io.tidemark.checkpoint.format.FileKind;
import io.tidemark.checkpoint.format.FileReference;
import io.tidemark.checkpoint.format.InlineStream;
import io.tidemark.keygroup.KeyGroupRange;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The core {@link SnapshotStorage} SPI on checkpoint files: every stream a backend writes for a checkpoint becomes one
 * data file of a {@link PendingCheckpoint} (zstd blocks, CRC32C, verified on read), except small exclusive
 * operator-state streams, which are kept inside its {@code _metadata} (see {@link #createOutput}). Get one from {@link
 * #of(PendingCheckpoint)}; hand it to every backend's {@code snapshot(...)} for that checkpoint; then call {@link
 * #referenceStreams} with the streams of all returned handles and commit the pending checkpoint.
 *
 * <p>Thread-safe: several snapshot threads may create outputs concurrently; each output is used by one thread.
 */
public final class FileSnapshotStorage implements SnapshotStorage {
    private final PendingCheckpoint pending;
    private final CheckpointStorage storage;
    private final AtomicLong sequence = new AtomicLong();

    private FileSnapshotStorage(PendingCheckpoint pending, CheckpointStorage storage) {
        this.pending = pending;
        this.storage = storage;
    }

    /** Snapshot storage writing into {@code pending} (a checkpoint or a savepoint). */
    public static FileSnapshotStorage of(PendingCheckpoint pending) {
        return new FileSnapshotStorage(pending, pending.storage());
    }

    public PendingCheckpoint pending() {
        return pending;
    }

    /**
     * Opens a stream. Shared streams (those later incremental checkpoints may reference) go to {@code shared/}; in a
     * savepoint every stream is exclusive, so it stays self-contained. An exclusive operator-state stream (empty
     * key-group range) is buffered and, if it stays within the pending checkpoint's inline threshold, kept inside
     * {@code _metadata} instead of as a data file; keyed streams are always files, whose header records their
     * key-group range for restore to check.
     */
    @Override
    public SnapshotOutput createOutput(String name, KeyGroupRange keyGroupRange, boolean shared) {
        boolean inShared = shared && !pending.isSavepoint();
        String fileName =
                SnapshotStreamNames.fileNameFor(name, inShared, pending.checkpointId(), sequence.incrementAndGet());
        if (!inShared && keyGroupRange.isEmpty() && pending.inlineThreshold() > 0) {
            return new InlineSnapshotOutput(pending, fileName, () -> createFile(fileName, false, keyGroupRange));
        }
        return createFile(fileName, inShared, keyGroupRange);
    }

    private FileSnapshotOutput createFile(String fileName, boolean inShared, KeyGroupRange keyGroupRange) {
        FileKind kind = pending.isSavepoint()
                ? FileKind.CANONICAL_SAVEPOINT
                : keyGroupRange.isEmpty() ? FileKind.OPERATOR_STATE : FileKind.KEYED_STATE;
        CheckpointFileOutput out = pending.createFile(
                fileName, inShared ? FileReference.Scope.SHARED : FileReference.Scope.EXCLUSIVE, kind, keyGroupRange);
        return new FileSnapshotOutput(pending, out, inShared);
    }

    /**
     * Reads the streams finished in this checkpoint and the shared streams of retained checkpoints, verified. For
     * restoring a completed checkpoint use {@link CheckpointSnapshotReader}.
     */
    @Override
    public SnapshotReader reader() {
        return this::open;
    }

    private InputStream open(StreamHandle handle, long position) {
        if (SnapshotStreamNames.isInline(handle.name())) {
            InlineStream stream = pending.finishedInline(SnapshotStreamNames.inlineNameOf(handle.name()));
            if (stream == null) {
                throw SnapshotStreamNames.notListed(
                        handle.name(), pending.directory().toString());
            }
            return CheckpointSnapshotReader.openInline(
                    stream, handle, position, pending.directory().toString());
        }
        String fileName = SnapshotStreamNames.fileNameOf(handle.name());
        FileReference.Scope scope = SnapshotStreamNames.scopeOf(handle.name());
        FileReference file = pending.finishedFile(fileName, scope);
        if (file == null && scope == FileReference.Scope.SHARED && storage != null) {
            file = storage.sharedFile(fileName);
        }
        if (file == null) {
            throw SnapshotStreamNames.notListed(
                    handle.name(), pending.directory().toString());
        }
        Path path = scope == FileReference.Scope.SHARED
                ? storage.layout().sharedDirectory().resolve(fileName)
                : pending.directory().resolve(fileName);
        return CheckpointSnapshotReader.open(
                pending.fileSystem(), path, file, handle, position, pending.checkpointId());
    }

    /**
     * Declares every stream the snapshot handles of this checkpoint reference. Shared streams written by earlier
     * checkpoints are added to this checkpoint's {@code _metadata} (and so kept alive by reference counting); streams
     * written by this checkpoint must have been finished.
     *
     * @throws IllegalArgumentException if a referenced shared stream is no longer retained
     */
    public void referenceStreams(Collection<StreamHandle> streams) {
        for (StreamHandle h : streams) {
            if (SnapshotStreamNames.isInline(h.name())) {
                if (pending.finishedInline(SnapshotStreamNames.inlineNameOf(h.name())) == null) {
                    throw new IllegalArgumentException("snapshot references an inline stream checkpoint "
                            + pending.checkpointId() + " did not write: stream=" + h.name());
                }
                continue;
            }
            String fileName = SnapshotStreamNames.fileNameOf(h.name());
            FileReference.Scope scope = SnapshotStreamNames.scopeOf(h.name());
            if (pending.finishedFile(fileName, scope) != null || pending.referencesShared(fileName)) {
                continue;
            }
            FileReference earlier =
                    scope == FileReference.Scope.SHARED && storage != null ? storage.sharedFile(fileName) : null;
            if (earlier == null) {
                throw new IllegalArgumentException("snapshot references a stream that is neither written by checkpoint "
                        + pending.checkpointId() + " nor retained: stream=" + h.name());
            }
            pending.reuseSharedFile(earlier);
        }
    }
}
