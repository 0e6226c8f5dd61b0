package io.tidemark.memory;

import io.tidemark.StorageIOException;
import io.tidemark.StorageSpaceException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Creates, maps and deletes segment files. A segment file is preallocated by writing zeros through a
 * {@link FileChannel} before it is ever mapped: the file system reserves real blocks (or reports that it has none),
 * so a later store into the mapping cannot hit a hole on a full disk, which would raise SIGBUS and crash the JVM.
 *
 * <p>Cold path; called under the owner thread (create, delete) or the residency lock (map).
 */
final class SegmentFiles {
    static final String PREFIX = "segment-";
    static final String SUFFIX = ".dat";
    private static final int CHUNK_SIZE = 1024 * 1024;

    private final Path directory;
    private final int segmentSize;
    private final FileChannelFactory channelFactory;
    private final ByteBuffer zeros;

    SegmentFiles(Path directory, int segmentSize, FileChannelFactory channelFactory) {
        this.directory = directory;
        this.segmentSize = segmentSize;
        this.channelFactory = channelFactory;
        this.zeros = ByteBuffer.allocateDirect(Math.min(CHUNK_SIZE, segmentSize));
    }

    Path pathOf(int segmentIndex) {
        return directory.resolve(String.format(Locale.ROOT, "%s%06d%s", PREFIX, segmentIndex, SUFFIX));
    }

    static boolean isSegmentFile(Path path) {
        final String name = path.getFileName().toString();
        return name.startsWith(PREFIX) && name.endsWith(SUFFIX);
    }

    /**
     * Creates the file and writes {@code segmentSize} zero bytes into it. On any failure the partial file is removed.
     *
     * @throws StorageSpaceException when the file system has no space left (or a size limit or quota is hit).
     * @throws StorageIOException on any other I/O failure.
     */
    void create(Path path) {
        final FileChannel created;
        try {
            created = channelFactory.create(path);
        } catch (IOException ex) {
            throw classify("cannot create segment file", path, 0, ex);
        }
        long written = 0;
        try (FileChannel channel = created) {
            while (written < segmentSize) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), segmentSize - written));
                while (zeros.hasRemaining()) {
                    written += channel.write(zeros, written);
                }
            }
        } catch (IOException | RuntimeException ex) {
            deleteQuietly(path, ex);
            throw classify("cannot preallocate segment file", path, written, ex);
        }
    }

    private RuntimeException classify(String what, Path path, long written, Exception ex) {
        if (ex instanceof IOException && isOutOfSpace((IOException) ex)) {
            return new StorageSpaceException(
                    "no space for segment file: file=" + path + ", written=" + written + ", segmentSize=" + segmentSize
                            + ", reason=" + ex.getMessage(),
                    ex);
        }
        return new StorageIOException(what + ": file=" + path + ", written=" + written + ", reason=" + ex, ex);
    }

    static boolean isOutOfSpace(IOException ex) {
        final String message = String.valueOf(ex.getMessage()).toLowerCase(Locale.ROOT);
        return message.contains("no space left")
                || message.contains("file too large")
                || message.contains("quota exceeded");
    }

    MappedByteBuffer map(Path path) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            final long size = channel.size();
            if (size != segmentSize) {
                throw new StorageIOException("segment file has the wrong size: file=" + path + ", size=" + size
                        + ", expected=" + segmentSize);
            }
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, segmentSize);
        } catch (IOException ex) {
            throw new StorageIOException("cannot map segment file: file=" + path + ", reason=" + ex, ex);
        }
    }

    static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ex) {
            throw new StorageIOException("cannot delete segment file: file=" + path + ", reason=" + ex, ex);
        }
    }

    private static void deleteQuietly(Path path, Exception primary) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException suppressed) {
            primary.addSuppressed(suppressed);
        }
    }
}
