package io.tidemark.checkpoint.fs;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/** An existing file opened for positional reads. Safe for one thread at a time. */
public interface ReadableFile extends AutoCloseable {
    Path path();

    /** The length of the file when it was opened. */
    long size();

    /**
     * Reads into {@code dst} from {@code position} until {@code dst} is full or the end of the file is reached.
     *
     * @return bytes read, less than requested only at the end of the file
     */
    int read(ByteBuffer dst, long position);

    @Override
    void close();
}
