package io.tidemark.memory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens the channels through which the owner writes pages back to segment files and reads them in again. The
 * default creates a file with {@code CREATE_NEW} (sparse: nothing is preallocated) and opens existing ones for reading
 * and writing. Tests replace it to inject faults such as a full disk; production code has no reason to.
 *
 * <p>Called by the owner thread on the cold path (the first write-back to a segment, and when a channel closed by
 * the store's bounded channel cache is needed again). The returned channel is closed by the store.
 */
@FunctionalInterface
public interface FileChannelFactory {
    /** The default: real files, opened for reading and writing. */
    FileChannelFactory DEFAULT = path ->
            FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);

    /**
     * Creates {@code path} and opens it for reading and writing.
     *
     * @param path the segment file to create; it does not exist yet.
     * @return an open channel.
     * @throws IOException as the file system reports it; a message naming "No space left on device", "File too
     *     large" or "Disk quota exceeded" is classified as lack of space.
     */
    FileChannel create(Path path) throws IOException;

    /**
     * Opens {@code path}, created earlier by {@link #create}, for reading and writing.
     *
     * @throws IOException as the file system reports it.
     */
    default FileChannel open(Path path) throws IOException {
        return FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }
}
