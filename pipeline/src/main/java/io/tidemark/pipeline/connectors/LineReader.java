package io.tidemark.pipeline.connectors;

import io.tidemark.StorageIOException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads UTF-8 lines from a file and knows the byte offset of the next line, so a source can resume exactly there.
 * Accepts {@code \n} and {@code \r\n}. Not thread-safe.
 */
public final class LineReader implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private long offset;

    public LineReader(Path file, long startOffset) {
        this.file = file;
        try {
            this.channel = FileChannel.open(file, StandardOpenOption.READ);
            channel.position(startOffset);
        } catch (IOException e) {
            throw new StorageIOException("cannot open input: file=" + file + ": " + e, e);
        }
        this.offset = startOffset;
        buffer.limit(0);
    }

    /** Byte offset of the next line. */
    public long offset() {
        return offset;
    }

    /** The next line without its terminator, or {@code null} at the end of the file. */
    public String next() {
        line.reset();
        boolean any = false;
        while (true) {
            if (!buffer.hasRemaining() && !fill()) {
                return any ? finish() : null;
            }
            byte b = buffer.get();
            offset++;
            any = true;
            if (b == '\n') {
                return finish();
            }
            line.write(b);
        }
    }

    private String finish() {
        byte[] bytes = line.toByteArray();
        int length = bytes.length;
        if (length > 0 && bytes[length - 1] == '\r') {
            length--;
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    private boolean fill() {
        buffer.clear();
        try {
            int n = channel.read(buffer);
            buffer.flip();
            return n > 0;
        } catch (IOException e) {
            throw new StorageIOException("cannot read input: file=" + file + ", offset=" + offset + ": " + e, e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only
        }
    }
}
