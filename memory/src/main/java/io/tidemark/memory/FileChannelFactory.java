package io.tidemark.memory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens the channel through which a new segment file is created and preallocated. The default creates the file
 * ({@code CREATE_NEW}) for reading and writing. Tests replace it to inject faults such as a full disk; production code
 * has no reason to.
 *
 * <p>Called by the thread that grows the store (the owner thread), on the cold path. The returned channel is closed
 * by the caller.
 */
@FunctionalInterface
public interface FileChannelFactory {
    /** The default: a real file created for reading and writing. */
    FileChannelFactory DEFAULT = path ->
            FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);

    /**
     * Creates {@code path} and opens it for reading and writing.
     *
     * @param path the segment file to create; it does not exist yet.
     * @return an open channel positioned at 0.
     * @throws IOException as the file system reports it; a message naming "No space left on device", "File too
     *     large" or "Disk quota exceeded" is classified as lack of space.
     */
    FileChannel create(Path path) throws IOException;
}
