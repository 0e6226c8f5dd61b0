package io.tidemark.checkpoint.fs;

/**
 * An exclusive lock on a directory, held from {@link CheckpointFileSystem#tryLock} until {@link #close()} or the end
 * of the process (the operating system releases it then, so a crashed owner never blocks the next start).
 */
public interface DirectoryLock extends AutoCloseable {
    /** Releases the lock; idempotent; never throws. */
    @Override
    void close();
}
