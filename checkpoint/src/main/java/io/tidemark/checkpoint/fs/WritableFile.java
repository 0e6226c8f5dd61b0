package io.tidemark.checkpoint.fs;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/** A file opened for appending by one thread. Not thread-safe. Unchecked errors as in {@link CheckpointFileSystem}. */
public interface WritableFile extends AutoCloseable {
    Path path();

    /** Appends all remaining bytes of {@code src}, advancing its position to its limit. */
    void write(ByteBuffer src);

    /** Bytes written so far, which is the length of the file. */
    long position();

    /** Forces written bytes and the file length to the device. A failure means nothing since the last sync is durable. */
    void sync();

    @Override
    void close();
}
