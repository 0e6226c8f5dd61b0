package io.tidemark.memory;

import io.tidemark.StateAccessException;
import io.tidemark.StorageIOException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The state directory held by one page store: created if missing, locked with {@link PageStore#LOCK_FILE} (in this
 * JVM and across processes), cleared of leftover segment files, which are working files never trusted across a
 * restart. Owner thread, cold path.
 */
final class StateDirectory implements AutoCloseable {
    private final Path lockFile;
    private final FileChannel channel;
    private final FileLock lock;

    private StateDirectory(Path lockFile, FileChannel channel, FileLock lock) {
        this.lockFile = lockFile;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @throws StateAccessException if another store holds the directory.
     * @throws StorageIOException if the directory cannot be created, locked or cleared.
     */
    static StateDirectory open(Path directory) {
        final Path lockFile = directory.resolve(PageStore.LOCK_FILE);
        FileChannel channel = null;
        try {
            Files.createDirectories(directory);
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            final FileLock lock = tryLock(channel);
            if (lock == null) {
                throw new StateAccessException("state directory is in use by another page store: file=" + lockFile);
            }
            deleteLeftoverSegments(directory);
            return new StateDirectory(lockFile, channel, lock);
        } catch (IOException | RuntimeException ex) {
            closeQuietly(channel, ex);
            if (ex instanceof RuntimeException) {
                throw (RuntimeException) ex;
            }
            throw new StorageIOException("cannot open state directory: file=" + lockFile + ", reason=" + ex, ex);
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException ex) {
            return null; // held by another store in this JVM
        }
    }

    private static void deleteLeftoverSegments(Path directory) throws IOException {
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            for (Path path : stream) {
                if (SegmentFiles.isSegmentFile(path)) {
                    Files.delete(path);
                }
            }
        }
    }

    private static void closeQuietly(FileChannel channel, Exception primary) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ex) {
                primary.addSuppressed(ex);
            }
        }
    }

    /**
     * Releases the lock. The lock file stays: deleting it would let a store that opened the old file and one that
     * creates a new one both believe they hold the directory.
     */
    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ex) {
            throw new StorageIOException(
                    "cannot release state directory lock: file=" + lockFile + ", reason=" + ex, ex);
        }
    }
}
