package io.tidemark.checkpoint.storage;

import io.tidemark.backend.snapshot.SnapshotOutput;
import io.tidemark.backend.snapshot.StreamHandle;
import java.io.ByteArrayOutputStream;
import java.util.function.Supplier;

/**
 * A {@link SnapshotOutput} for a small exclusive stream: bytes are buffered in memory and, if the stream stays within
 * the pending checkpoint's inline threshold, kept inside {@code _metadata} ({@link PendingCheckpoint#addInline}) — no
 * data file, no fsync. Once the stream grows past the threshold it spills: the data file is created, the buffered
 * bytes written to it, and the stream goes on as a normal file. One thread.
 */
final class InlineSnapshotOutput extends SnapshotOutput {
    private final PendingCheckpoint pending;
    private final String name;
    private final int threshold;
    private final Supplier<FileSnapshotOutput> spill;
    private ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private FileSnapshotOutput file;
    private boolean done;

    /**
     * @param name the inline stream's name (unique within the checkpoint, a valid file name)
     * @param spill creates the data file the stream continues in once it exceeds the threshold
     */
    InlineSnapshotOutput(PendingCheckpoint pending, String name, Supplier<FileSnapshotOutput> spill) {
        this.pending = pending;
        this.name = name;
        this.threshold = pending.inlineThreshold();
        this.spill = spill;
    }

    @Override
    public void write(int b) {
        checkOpen();
        if (file == null && buffer.size() + 1 > threshold) {
            spill();
        }
        if (file != null) {
            file.write(b);
        } else {
            buffer.write(b);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) {
        checkOpen();
        if (file == null && (long) buffer.size() + len > threshold) {
            spill();
        }
        if (file != null) {
            file.write(b, off, len);
        } else {
            buffer.write(b, off, len);
        }
    }

    private void spill() {
        file = spill.get(); // set first: if writing the buffered bytes fails, abort() discards the file
        byte[] buffered = buffer.toByteArray();
        buffer = null;
        file.write(buffered, 0, buffered.length);
    }

    @Override
    public long position() {
        return file != null ? file.position() : buffer.size();
    }

    /** Keeps the bytes inline if the stream stayed within the threshold, else finishes and fsyncs its data file. */
    @Override
    public StreamHandle closeAndGetHandle() {
        checkOpen();
        done = true;
        if (file != null) {
            return file.closeAndGetHandle();
        }
        byte[] bytes = buffer.toByteArray();
        buffer = null;
        return new StreamHandle(SnapshotStreamNames.streamName(pending.addInline(name, bytes)), bytes.length, false);
    }

    @Override
    public void abort() {
        if (!done) {
            done = true;
            buffer = null;
            if (file != null) {
                file.abort();
            }
        }
    }

    @Override
    public void close() {
        abort();
    }

    private void checkOpen() {
        if (done) {
            throw new IllegalStateException("snapshot stream already closed: " + name);
        }
    }
}
