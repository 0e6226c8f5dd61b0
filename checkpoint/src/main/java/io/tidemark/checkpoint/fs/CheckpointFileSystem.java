package io.tidemark.checkpoint.fs;

import java.nio.file.Path;
import java.util.List;

/**
 * The only door through which checkpoint code touches durable storage, so that tests can inject disk-full, I/O errors,
 * delays and power loss ({@code FaultInjectingFileSystem}, in this module's test-jar).
 *
 * <p>Durability contract, the one POSIX gives: bytes written are durable only after {@link WritableFile#sync()}; a
 * created, renamed or deleted directory entry is durable only after {@link #syncDirectory(Path)} on its parent.
 *
 * <p>Every method may be called from any thread; implementations are thread-safe. Every failure is unchecked and names
 * the file: {@link io.tidemark.StorageSpaceException} when the device or a file-size limit is full, {@link
 * io.tidemark.StorageIOException} otherwise. Methods allocate; they are control-plane, never per event.
 */
public interface CheckpointFileSystem {
    /** Creates a new, empty file for writing; fails if {@code file} already exists. */
    WritableFile create(Path file);

    /** Opens an existing file for positional reads. */
    ReadableFile openRead(Path file);

    /** Creates {@code dir} and any missing parents; no-op when it exists. Does not sync any directory. */
    void createDirectories(Path dir);

    /** Makes the entries of {@code dir} (creates, renames, deletes) durable. */
    void syncDirectory(Path dir);

    /** Atomically renames {@code source} to {@code target}, replacing {@code target} if it exists. */
    void rename(Path source, Path target);

    /** Names of the entries of {@code dir}, sorted; empty if {@code dir} does not exist. */
    List<String> list(Path dir);

    boolean exists(Path path);

    boolean isDirectory(Path path);

    /** Length in bytes of an existing regular file. */
    long size(Path file);

    /** Deletes a file or an empty directory; no-op when it does not exist. Not durable until the parent is synced. */
    void delete(Path path);

    /**
     * Takes the exclusive lock file {@code lockFile} (created if missing, never deleted), or returns {@code null} at
     * once if another owner in this or another process holds it. Advisory: only other callers of this method are kept
     * out.
     */
    DirectoryLock tryLock(Path lockFile);

    /** Deletes {@code dir} and everything below it; no-op when it does not exist. */
    default void deleteRecursively(Path dir) {
        if (isDirectory(dir)) {
            for (String name : list(dir)) {
                deleteRecursively(dir.resolve(name));
            }
        }
        delete(dir);
    }
}
