package io.tidemark.checkpoint.storage;

import io.tidemark.CorruptCheckpointException;
import io.tidemark.TidemarkException;
import io.tidemark.checkpoint.format.CompressionConfig;
import io.tidemark.checkpoint.format.DataFileHeader;
import io.tidemark.checkpoint.format.DataFileReader;
import io.tidemark.checkpoint.format.FileReference;
import io.tidemark.checkpoint.fs.CheckpointFileSystem;
import io.tidemark.checkpoint.fs.DirectoryLock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The checkpoints below one root directory: opens them at start ({@link #open}: verify, rebuild shared-file reference
 * counts, delete leftovers), begins new ones, keeps the last K completed ones and deletes the rest, and opens their
 * files verified.
 *
 * <p>Thread-safe. Control plane: every method allocates and may block on I/O. Errors: {@link
 * CorruptCheckpointException} for data that fails verification, {@link io.tidemark.StorageSpaceException} / {@link
 * io.tidemark.StorageIOException} for storage failures, always naming the file.
 */
public final class CheckpointStorage implements AutoCloseable {
    private final CheckpointStorageConfig config;
    private final CheckpointFileSystem fs;
    private final CheckpointLayout layout;
    private final SharedFileRegistry shared = new SharedFileRegistry();
    private final List<CompletedCheckpoint> retained = new ArrayList<>();
    private RecoveryReport recoveryReport;
    private long highestId = -1;
    private TidemarkException lastRetentionFailure;
    private DirectoryLock lock;

    private CheckpointStorage(CheckpointStorageConfig config, CheckpointFileSystem fs) {
        this.config = config;
        this.fs = fs;
        this.layout = new CheckpointLayout(config.root());
    }

    /**
     * Opens the storage: finds and verifies the completed checkpoints, rebuilds the reference counts of shared files
     * from their {@code _metadata}, and deletes leftovers of aborted or crashed checkpoints (directories without
     * {@code _metadata}, {@code *.tmp} files, unreferenced shared files).
     *
     * <p>First takes the lock file {@code _lock} in the root, held until {@link #close()} (or the process ends), so a
     * second storage on the same root, in this or another process, fails fast.
     *
     * @throws io.tidemark.checkpoint.fs.DirectoryLockedException if another storage holds the root
     * @throws CorruptCheckpointException if the latest checkpoint fails verification and {@code policy} is {@link
     *     RestorePolicy#LATEST_ONLY}, or if checkpoints exist and none verifies; nothing is deleted then
     */
    public static CheckpointStorage open(
            CheckpointStorageConfig config, CheckpointFileSystem fs, RestorePolicy policy) {
        CheckpointStorage storage = new CheckpointStorage(config, fs);
        Path root = storage.layout.root();
        DirectoryLock lock = DirectoryLock.acquire(fs, root, CheckpointLayout.LOCK, "checkpoint root");
        try {
            synchronized (storage) {
                storage.lock = lock;
                storage.recoveryReport = new CheckpointRecovery(storage, fs, storage.layout).run(policy);
            }
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        return storage;
    }

    /** Releases the root's lock; checkpoints can no longer begin. Completed checkpoints stay. Idempotent. */
    @Override
    public synchronized void close() {
        if (lock != null) {
            lock.close();
            lock = null;
        }
    }

    public CheckpointStorageConfig config() {
        return config;
    }

    public CheckpointLayout layout() {
        return layout;
    }

    public synchronized RecoveryReport recoveryReport() {
        return recoveryReport;
    }

    /** The newest completed checkpoint, or {@code null} when there is none. */
    public synchronized CompletedCheckpoint latest() {
        return retained.isEmpty() ? null : retained.get(retained.size() - 1);
    }

    /** Retained completed checkpoints, oldest first. */
    public synchronized List<CompletedCheckpoint> retained() {
        return List.copyOf(retained);
    }

    /** The highest checkpoint id seen on disk or begun; new ids must be greater. */
    public synchronized long highestCheckpointId() {
        return highestId;
    }

    /**
     * The failure of the last retention run after a commit (the commit itself succeeded), or {@code null}. What it
     * could not delete is deleted at the next {@link #open}.
     */
    public synchronized TidemarkException lastRetentionFailure() {
        return lastRetentionFailure;
    }

    /** Reference count of a shared file (retained checkpoints plus pending reuses); for tests and diagnostics. */
    public synchronized int sharedReferenceCount(String name) {
        return shared.count(name);
    }

    /** Begins checkpoint {@code checkpointId}, which must be greater than every id seen so far. */
    public PendingCheckpoint begin(long checkpointId) {
        synchronized (this) {
            if (lock == null) {
                throw new IllegalStateException("checkpoint storage is closed: root=" + layout.root());
            }
            if (checkpointId <= highestId) {
                throw new IllegalArgumentException(
                        "checkpoint id not increasing: checkpointId=" + checkpointId + ", highest=" + highestId);
            }
            highestId = checkpointId;
        }
        Path dir = layout.checkpointDirectory(checkpointId);
        createDurably(fs, dir, layout.root());
        return new PendingCheckpoint(
                fs,
                this,
                checkpointId,
                dir,
                layout.sharedDirectory(),
                config.compression(),
                false,
                config.inlineThreshold());
    }

    /**
     * Begins savepoint {@code checkpointId} in {@code directory} (must not exist yet) with this storage's file system
     * and compression; the savepoint is outside retention and owns all its files.
     */
    public PendingCheckpoint beginSavepoint(Path directory, long checkpointId) {
        return beginSavepoint(fs, directory, checkpointId, config.compression(), config.inlineThreshold());
    }

    /**
     * Begins a savepoint in {@code directory} (must not exist yet): self-contained, exclusive files only, never
     * touched by retention. Commit it like a checkpoint.
     */
    public static PendingCheckpoint beginSavepoint(
            CheckpointFileSystem fs, Path directory, long checkpointId, CompressionConfig compression) {
        return beginSavepoint(
                fs, directory, checkpointId, compression, CheckpointStorageConfig.DEFAULT_INLINE_THRESHOLD);
    }

    /**
     * As {@link #beginSavepoint(CheckpointFileSystem, Path, long, CompressionConfig)}, keeping operator-state streams
     * of at most {@code inlineThreshold} bytes inside {@code _metadata} (0: never).
     */
    public static PendingCheckpoint beginSavepoint(
            CheckpointFileSystem fs,
            Path directory,
            long checkpointId,
            CompressionConfig compression,
            int inlineThreshold) {
        CheckpointStorageConfig.checkInlineThreshold(inlineThreshold);
        if (fs.exists(directory)) {
            throw new IllegalArgumentException("savepoint directory already exists: " + directory);
        }
        createDurably(fs, directory, directory.toAbsolutePath().getParent());
        return new PendingCheckpoint(fs, null, checkpointId, directory, null, compression, true, inlineThreshold);
    }

    /** Creates {@code dir} and syncs {@code parent}; on failure removes {@code dir} again, so nothing is left over. */
    private static void createDurably(CheckpointFileSystem fs, Path dir, Path parent) {
        try {
            fs.createDirectories(dir);
            fs.syncDirectory(parent);
        } catch (RuntimeException e) {
            try {
                fs.deleteRecursively(dir);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** Loads and verifies the savepoint in {@code directory}. */
    public static CompletedCheckpoint loadSavepoint(CheckpointFileSystem fs, Path directory) {
        CompletedCheckpoint cp = MetadataFiles.load(fs, directory, null, -1);
        if (!cp.metadata().savepoint()) {
            throw new CorruptCheckpointException(
                    "not a savepoint",
                    directory.resolve(CheckpointLayout.METADATA).toString(),
                    10,
                    "savepoint flag",
                    "checkpoint");
        }
        return cp;
    }

    /**
     * Loads and verifies the {@code _metadata} of the checkpoint or savepoint in {@code directory}, read-only: no
     * lock, no recovery, nothing deleted. A checkpoint's shared files are looked up in {@code ../shared}. For offline
     * tools; a running engine's retention may delete a checkpoint while it is read.
     */
    public static CompletedCheckpoint loadReadOnly(CheckpointFileSystem fs, Path directory) {
        Path dir = directory.toAbsolutePath().normalize();
        Path parent = dir.getParent();
        return MetadataFiles.load(
                fs, dir, parent == null ? null : parent.resolve(CheckpointLayout.SHARED_DIRECTORY), -1);
    }

    /**
     * Finds and loads a completed checkpoint or savepoint by path, read-only like {@link #loadReadOnly}: {@code path}
     * is a checkpoint or savepoint directory, its {@code _metadata} file, or a checkpoint root (its newest checkpoint
     * with a {@code _metadata}; that one must verify, an older one is never chosen silently).
     *
     * @throws CorruptCheckpointException if there is no completed checkpoint there or it fails verification
     */
    public static CompletedCheckpoint locateReadOnly(CheckpointFileSystem fs, Path path) {
        Path p = path.toAbsolutePath().normalize();
        if (p.getFileName() != null && p.getFileName().toString().equals(CheckpointLayout.METADATA)) {
            p = p.getParent();
        }
        if (!fs.exists(p.resolve(CheckpointLayout.METADATA))) {
            long newest = -1;
            for (String name : fs.list(p)) {
                long id = CheckpointLayout.parseCheckpointId(name);
                if (id > newest && fs.exists(p.resolve(name).resolve(CheckpointLayout.METADATA))) {
                    newest = id;
                }
            }
            if (newest < 0) {
                throw new CorruptCheckpointException(
                        "no completed checkpoint or savepoint",
                        p.toString(),
                        0,
                        "_metadata or chk-<id>/_metadata",
                        "none");
            }
            p = p.resolve(CheckpointLayout.CHECKPOINT_PREFIX + newest);
        }
        return loadReadOnly(fs, p);
    }

    /**
     * Opens a file of a completed checkpoint, verified against {@code _metadata} (length and CRC32C of the whole file)
     * and against the identity the caller expects.
     */
    public DataFileReader openFile(CompletedCheckpoint checkpoint, FileReference file, DataFileHeader expected) {
        return openFile(fs, checkpoint, file, expected);
    }

    public static DataFileReader openFile(
            CheckpointFileSystem fs, CompletedCheckpoint checkpoint, FileReference file, DataFileHeader expected) {
        return DataFileReader.open(fs, checkpoint.resolve(file), expected, file.length(), file.crc32c());
    }

    /** Reads every file of {@code checkpoint} completely and verifies it; for operators and tests. */
    public void verifyFully(CompletedCheckpoint checkpoint) {
        for (FileReference f : checkpoint.metadata().files()) {
            Path path = checkpoint.resolve(f);
            try (DataFileReader r = DataFileReader.open(fs, path, null, f.length(), f.crc32c())) {
                checkWriter(checkpoint.checkpointId(), f, r.header().checkpointId(), path);
            }
        }
    }

    /**
     * A file of checkpoint {@code checkpointId} must have been written by it (exclusive files) or by it or an earlier
     * checkpoint (shared files); anything else is a file swapped in from elsewhere.
     */
    static void checkWriter(long checkpointId, FileReference file, long writtenBy, Path path) {
        boolean ok =
                file.scope() == FileReference.Scope.EXCLUSIVE ? writtenBy == checkpointId : writtenBy <= checkpointId;
        if (!ok) {
            throw new CorruptCheckpointException(
                    "data file written by another checkpoint",
                    path.toString(),
                    16,
                    (file.scope() == FileReference.Scope.EXCLUSIVE ? "" : "<= ") + checkpointId,
                    writtenBy);
        }
    }

    // ------------------------------------------------------------------ called by PendingCheckpoint and recovery

    /** The reference of a shared file that a retained (or pending) checkpoint holds, or {@code null}. */
    public synchronized FileReference sharedFile(String name) {
        return shared.file(name);
    }

    synchronized void pinShared(FileReference file) {
        if (shared.count(file.name()) == 0) {
            throw new IllegalArgumentException(
                    "shared file is not referenced by any retained checkpoint: " + file.name());
        }
        shared.acquire(file);
    }

    void committed(CompletedCheckpoint checkpoint, Collection<FileReference> createdShared) {
        synchronized (this) {
            for (FileReference f : createdShared) {
                shared.acquire(f);
            }
            int i = retained.size();
            while (i > 0 && retained.get(i - 1).checkpointId() > checkpoint.checkpointId()) {
                i--;
            }
            retained.add(i, checkpoint);
        }
        try {
            applyRetention();
            synchronized (this) {
                lastRetentionFailure = null;
            }
        } catch (TidemarkException e) {
            synchronized (this) {
                lastRetentionFailure = e;
            }
        }
    }

    void aborted(PendingCheckpoint pending, Collection<String> createdShared, Collection<String> reusedShared) {
        List<String> unreferenced = new ArrayList<>(createdShared);
        synchronized (this) {
            for (String name : reusedShared) {
                if (shared.release(name)) {
                    unreferenced.add(name);
                }
            }
        }
        deleteShared(unreferenced);
    }

    /** Adds the references of a checkpoint found at start. */
    synchronized void recovered(CompletedCheckpoint checkpoint) {
        for (FileReference f : checkpoint.metadata().files()) {
            if (f.scope() == FileReference.Scope.SHARED) {
                shared.acquire(f);
            }
        }
        retained.add(checkpoint);
    }

    synchronized void sawCheckpointId(long id) {
        highestId = Math.max(highestId, id);
    }

    synchronized boolean isReferencedShared(String name) {
        return shared.count(name) > 0;
    }

    /**
     * Drops the oldest retained checkpoints beyond the limit: their files, then shared files no longer referenced. A
     * failure leaves leftovers that the next start deletes.
     */
    void applyRetention() {
        List<CompletedCheckpoint> dropped = new ArrayList<>();
        List<String> unreferenced = new ArrayList<>();
        synchronized (this) {
            while (retained.size() > config.retainedCheckpoints()) {
                CompletedCheckpoint old = retained.remove(0);
                dropped.add(old);
                releaseAll(old, unreferenced);
            }
        }
        for (CompletedCheckpoint old : dropped) {
            delete(old);
        }
        deleteShared(unreferenced);
    }

    private void releaseAll(CompletedCheckpoint old, List<String> unreferenced) {
        for (FileReference f : old.metadata().files()) {
            if (f.scope() == FileReference.Scope.SHARED && shared.release(f.name())) {
                unreferenced.add(f.name());
            }
        }
    }

    /** Retention delete: {@code _metadata} first (durably), so a crash leaves an incomplete, ignorable directory. */
    private void delete(CompletedCheckpoint old) {
        fs.delete(old.directory().resolve(CheckpointLayout.METADATA));
        fs.syncDirectory(old.directory());
        CrashPoint.hit(CrashPoint.DURING_RETENTION_DELETE);
        fs.deleteRecursively(old.directory());
        fs.syncDirectory(layout.root());
    }

    private void deleteShared(List<String> names) {
        if (names.isEmpty()) {
            return;
        }
        for (String name : names) {
            fs.delete(layout.sharedDirectory().resolve(name));
        }
        fs.syncDirectory(layout.sharedDirectory());
    }
}
