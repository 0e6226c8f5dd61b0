package io.tidemark.pipeline.checkpoint;

import io.tidemark.ConfigurationException;
import io.tidemark.StorageIOException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive OS file lock on {@code <state-dir>/LOCK}: a second process (or engine) on the same state directory
 * fails fast instead of corrupting it (RELIABILITY.md C4). Released on close or when the process dies.
 */
public final class StateDirectoryLock implements AutoCloseable {
    public static final String LOCK_FILE = "LOCK";

    private final FileChannel channel;
    private final FileLock lock;

    private StateDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws ConfigurationException naming the directory if another engine holds it */
    public static StateDirectoryLock acquire(Path stateDirectory) {
        Path file = stateDirectory.resolve(LOCK_FILE);
        FileChannel channel = null;
        try {
            Files.createDirectories(stateDirectory);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new ConfigurationException(
                        "state directory is in use by another process: stateDir=" + stateDirectory + ", lock=" + file);
            }
            return new StateDirectoryLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new ConfigurationException(
                    "state directory is in use by this process: stateDir=" + stateDirectory + ", lock=" + file);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StorageIOException("cannot lock state directory: file=" + file + ": " + e, e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already failing with the more useful error
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the OS releases the lock with the descriptor
        }
    }
}
