package io.tidemark.checkpoint.storage;

import io.tidemark.TidemarkException;
import io.tidemark.checkpoint.format.CheckpointMetadata;
import io.tidemark.checkpoint.format.CompressionConfig;
import io.tidemark.checkpoint.format.DataFileHeader;
import io.tidemark.checkpoint.format.DataFileWriter;
import io.tidemark.checkpoint.format.FileKind;
import io.tidemark.checkpoint.format.FileReference;
import io.tidemark.checkpoint.format.InlineStream;
import io.tidemark.checkpoint.fs.CheckpointFileSystem;
import io.tidemark.keygroup.KeyGroupRange;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A checkpoint (or savepoint) being written: tasks create files through it, then exactly one of {@link #commit} or
 * {@link #abort} ends it. Thread-safe: several tasks may create and finish files concurrently.
 *
 * <p>Small exclusive streams may instead be kept inline ({@link #addInline}): they are written inside {@code
 * _metadata} and share its fsync and CRC32C.
 *
 * <p>{@link #commit} runs the commit protocol: data files fsynced (by {@link CheckpointFileOutput#finish()}) and their
 * directories fsynced, {@code _metadata.tmp} written and fsynced, renamed to {@code _metadata}, directory fsynced.
 * Only when it returns is the checkpoint complete. Any failure on the way aborts it: its files are deleted and earlier
 * checkpoints are untouched.
 */
public final class PendingCheckpoint {
    private enum State {
        OPEN,
        COMMITTING,
        COMMITTED,
        ABORTED
    }

    private final CheckpointFileSystem fs;
    private final CheckpointStorage storage;
    private final long checkpointId;
    private final Path directory;
    private final Path sharedDirectory;
    private final CompressionConfig compression;
    private final boolean savepoint;
    private final int inlineThreshold;
    private final Map<String, InlineStream> inline = new LinkedHashMap<>();
    private final Map<String, CheckpointFileOutput> outputs = new LinkedHashMap<>();
    private final Map<String, FileReference> files = new LinkedHashMap<>();
    private final List<String> createdShared = new ArrayList<>();
    private final Set<String> reusedShared = new HashSet<>();
    private State state = State.OPEN;

    PendingCheckpoint(
            CheckpointFileSystem fs,
            CheckpointStorage storage,
            long checkpointId,
            Path directory,
            Path sharedDirectory,
            CompressionConfig compression,
            boolean savepoint,
            int inlineThreshold) {
        this.fs = fs;
        this.storage = storage;
        this.checkpointId = checkpointId;
        this.directory = directory;
        this.sharedDirectory = sharedDirectory;
        this.compression = compression;
        this.savepoint = savepoint;
        this.inlineThreshold = CheckpointStorageConfig.checkInlineThreshold(inlineThreshold);
    }

    /** Exclusive operator-state streams of at most this many bytes are kept in {@code _metadata}; 0: never. */
    int inlineThreshold() {
        return inlineThreshold;
    }

    /**
     * Keeps a finished small stream inside this checkpoint's {@code _metadata}: no data file, no fsync of its own;
     * its bytes become durable with {@code _metadata} and are covered by its CRC32C.
     */
    synchronized InlineStream addInline(String name, byte[] bytes) {
        checkOpen();
        InlineStream stream = new InlineStream(name, bytes);
        if (inline.putIfAbsent(name, stream) != null) {
            throw new IllegalArgumentException("inline stream already in checkpoint " + checkpointId + ": " + name);
        }
        return stream;
    }

    /** The inline stream of this checkpoint called {@code name}, or {@code null}. */
    synchronized InlineStream finishedInline(String name) {
        return inline.get(name);
    }

    public long checkpointId() {
        return checkpointId;
    }

    public Path directory() {
        return directory;
    }

    public boolean isSavepoint() {
        return savepoint;
    }

    /** The storage this checkpoint belongs to; {@code null} for a savepoint. */
    CheckpointStorage storage() {
        return storage;
    }

    CheckpointFileSystem fileSystem() {
        return fs;
    }

    synchronized boolean referencesShared(String name) {
        return reusedShared.contains(name) || files.containsKey(FileReference.Scope.SHARED + "/" + name);
    }

    /**
     * Creates a data file for this checkpoint. {@code name} must be a plain file name, unique within its scope; a
     * shared file's name must be unique across all checkpoints (e.g. include the checkpoint id and task).
     */
    public CheckpointFileOutput createFile(
            String name, FileReference.Scope scope, FileKind kind, KeyGroupRange keyGroupRange) {
        String key = scope + "/" + name;
        Path path;
        synchronized (this) {
            checkOpen();
            if (!FileReference.isValidName(name)) {
                throw new IllegalArgumentException("invalid checkpoint file name: " + name);
            }
            if (outputs.containsKey(key) || reusedShared.contains(name) && scope == FileReference.Scope.SHARED) {
                throw new IllegalArgumentException("file already in checkpoint " + checkpointId + ": " + key);
            }
            if (scope == FileReference.Scope.SHARED && sharedDirectory == null) {
                throw new IllegalArgumentException("a savepoint is self-contained, no shared files: " + name);
            }
            path = scope == FileReference.Scope.SHARED ? sharedDirectory.resolve(name) : directory.resolve(name);
            outputs.put(key, null); // reserves the name
        }
        if (fs.exists(path)) { // never adopt (and later delete) a file another checkpoint owns
            synchronized (this) {
                outputs.remove(key);
            }
            throw new IllegalArgumentException("checkpoint file already exists: " + path);
        }
        DataFileWriter writer;
        try {
            writer =
                    DataFileWriter.create(fs, path, new DataFileHeader(checkpointId, keyGroupRange, kind), compression);
        } catch (RuntimeException e) {
            forget(key, path, e);
            throw e;
        }
        CheckpointFileOutput out = new CheckpointFileOutput(this, writer, name, scope);
        synchronized (this) {
            if (state == State.OPEN) {
                outputs.put(key, out);
                if (scope == FileReference.Scope.SHARED) {
                    createdShared.add(name);
                }
                return out;
            }
        }
        IllegalStateException e =
                new IllegalStateException("checkpoint " + checkpointId + " ended while " + name + " was being created");
        out.close();
        forget(key, path, e);
        throw e;
    }

    /** Drops a file this checkpoint created but will not list; a failed delete is left to the next start. */
    private void forget(String key, Path path, RuntimeException reason) {
        synchronized (this) {
            outputs.remove(key);
        }
        try {
            fs.delete(path);
        } catch (RuntimeException cleanup) {
            reason.addSuppressed(cleanup);
        }
    }

    /** References a shared file of an earlier, still retained checkpoint (incremental checkpoints). */
    public synchronized void reuseSharedFile(FileReference file) {
        checkOpen();
        if (file.scope() != FileReference.Scope.SHARED || savepoint) {
            throw new IllegalArgumentException("only checkpoints can reuse shared files: " + file);
        }
        if (files.containsKey(key(file)) || outputs.containsKey(key(file))) {
            throw new IllegalArgumentException("file already in checkpoint " + checkpointId + ": " + file.name());
        }
        storage.pinShared(file);
        reusedShared.add(file.name());
        files.put(key(file), file);
    }

    /**
     * Removes a file that failed or was abandoned before {@link CheckpointFileOutput#finish()} succeeded, so the
     * checkpoint can still commit without it. Never throws: a file that cannot be deleted now is deleted when the
     * checkpoint aborts, or at the next start.
     */
    void discard(CheckpointFileOutput out) {
        String key = out.scope() + "/" + out.name();
        try {
            out.close();
            fs.delete(out.path());
        } catch (RuntimeException e) {
            return; // stays listed as unfinished: commit refuses, abort and recovery delete it
        }
        synchronized (this) {
            if (outputs.get(key) == out && out.reference() == null) {
                outputs.remove(key);
                createdShared.remove(out.name());
            }
        }
    }

    /** The finished file of this checkpoint with {@code name} in {@code scope}, or {@code null}. */
    synchronized FileReference finishedFile(String name, FileReference.Scope scope) {
        return files.get(scope + "/" + name);
    }

    synchronized void finished(CheckpointFileOutput out) {
        checkOpen();
        files.put(key(out.reference()), out.reference());
    }

    /**
     * Commits: makes every file and then {@code _metadata} durable, in protocol order. When this returns the
     * checkpoint is complete; on any failure it is aborted and the error rethrown.
     *
     * @param payload opaque bytes stored in {@code _metadata} (the state handles)
     */
    public CompletedCheckpoint commit(byte[] payload) {
        CheckpointMetadata metadata;
        List<String> newShared;
        synchronized (this) {
            checkOpen();
            for (Map.Entry<String, CheckpointFileOutput> e : outputs.entrySet()) {
                if (e.getValue() == null || e.getValue().reference() == null) {
                    throw new IllegalStateException(
                            "checkpoint " + checkpointId + " has an unfinished file: " + e.getKey());
                }
            }
            newShared = List.copyOf(createdShared);
            state = State.COMMITTING;
            metadata = new CheckpointMetadata(
                    checkpointId,
                    System.currentTimeMillis(),
                    savepoint,
                    new ArrayList<>(files.values()),
                    payload,
                    new ArrayList<>(inline.values()));
        }
        try {
            fs.syncDirectory(directory);
            if (!newShared.isEmpty()) {
                fs.syncDirectory(sharedDirectory);
            }
            CrashPoint.hit(CrashPoint.AFTER_DATA_FSYNC);
            MetadataFiles.commit(fs, directory, metadata);
        } catch (RuntimeException e) {
            try {
                abort(e, true);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        CompletedCheckpoint completed =
                new CompletedCheckpoint(directory, savepoint ? null : sharedDirectory, metadata);
        synchronized (this) {
            state = State.COMMITTED;
        }
        if (storage != null) {
            List<FileReference> created = new ArrayList<>();
            for (String name : newShared) {
                created.add(files.get(FileReference.Scope.SHARED + "/" + name));
            }
            storage.committed(completed, created);
        }
        return completed;
    }

    /**
     * Aborts: closes unfinished files and deletes everything this checkpoint created, including {@code _metadata}
     * if the failure came after the rename. Idempotent; no-op once {@link #commit} has started (a failing commit
     * aborts by itself). Deletion failures are thrown
     * after all deletions were attempted (the next start cleans up what remains).
     *
     * @param reason why, for the caller's records; not rethrown
     */
    public void abort(Throwable reason) {
        abort(reason, false);
    }

    private void abort(Throwable reason, boolean fromCommit) {
        List<CheckpointFileOutput> open;
        List<String> newShared;
        List<String> reused;
        synchronized (this) {
            if (state != State.OPEN && !(fromCommit && state == State.COMMITTING)) {
                return;
            }
            state = State.ABORTED;
            open = new ArrayList<>(outputs.values());
            newShared = List.copyOf(createdShared);
            reused = List.copyOf(reusedShared);
        }
        TidemarkException failure = null;
        for (CheckpointFileOutput out : open) {
            if (out != null) {
                try {
                    out.close();
                } catch (TidemarkException e) {
                    failure = first(failure, e);
                }
            }
        }
        try {
            fs.deleteRecursively(directory);
            if (storage != null) {
                storage.aborted(this, newShared, reused);
            }
        } catch (TidemarkException e) {
            failure = first(failure, e);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static TidemarkException first(TidemarkException current, TidemarkException e) {
        if (current == null) {
            return e;
        }
        current.addSuppressed(e);
        return current;
    }

    private static String key(FileReference f) {
        return f.scope() + "/" + f.name();
    }

    private void checkOpen() {
        if (state != State.OPEN) {
            throw new IllegalStateException("checkpoint " + checkpointId + " is " + state);
        }
    }
}
