package io.tidemark.checkpoint.fs;

import java.nio.file.Path;

/**
 * The one directory lock of Tidemark's state and checkpoint directories (RELIABILITY.md C4): an exclusive OS file
 * lock on a lock file inside the directory, held from {@link CheckpointFileSystem#tryLock} (or {@link #acquire}) until
 * {@link #close()} or the end of the process (the operating system releases it then, so a crashed owner never blocks
 * the next start). The pipeline locks its state directory ({@code LOCK}, guarding the working files it wipes at
 * start); the checkpoint storage locks its root ({@code _lock}).
 */
public interface DirectoryLock extends AutoCloseable {
    /**
     * Creates {@code directory} if needed and locks {@code directory/lockFileName}.
     *
     * @param what what the directory is, for the error ("state directory", "checkpoint root")
     * @throws DirectoryLockedException naming the directory and lock file if another owner holds it
     */
    static DirectoryLock acquire(CheckpointFileSystem fs, Path directory, String lockFileName, String what) {
        fs.createDirectories(directory);
        Path file = directory.resolve(lockFileName);
        DirectoryLock lock = fs.tryLock(file);
        if (lock == null) {
            throw new DirectoryLockedException(what + " is in use by another engine: directory=" + directory + ", lock="
                    + file + " (stop the other engine or configure another directory)");
        }
        return lock;
    }

    /** Releases the lock; idempotent; never throws. */
    @Override
    void close();
}
