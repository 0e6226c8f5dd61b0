package io.tidemark.checkpoint.storage;

import io.tidemark.checkpoint.format.DataFileSummary;
import io.tidemark.checkpoint.format.DataFileWriter;
import io.tidemark.checkpoint.format.FileReference;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A byte sink for one file of a {@link PendingCheckpoint}. Used by one thread (a task's snapshot thread); different
 * outputs of the same checkpoint may be written concurrently. {@link #finish()} makes the file durable and returns the
 * reference recorded in {@code _metadata}. After any error the output is failed; the checkpoint must be aborted.
 */
public final class CheckpointFileOutput extends OutputStream {
    private final PendingCheckpoint owner;
    private final DataFileWriter writer;
    private final String name;
    private final FileReference.Scope scope;
    private FileReference reference;

    CheckpointFileOutput(PendingCheckpoint owner, DataFileWriter writer, String name, FileReference.Scope scope) {
        this.owner = owner;
        this.writer = writer;
        this.name = name;
        this.scope = scope;
    }

    public String name() {
        return name;
    }

    public FileReference.Scope scope() {
        return scope;
    }

    public Path path() {
        return writer.path();
    }

    /** Uncompressed bytes written so far. */
    public long position() {
        return writer.position();
    }

    @Override
    public void write(int b) {
        writer.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        writer.write(b, off, len);
    }

    public void write(ByteBuffer src) {
        writer.write(src);
    }

    /** Completes the file and fsyncs it; when this returns the bytes are durable (its directory entry at commit). */
    public FileReference finish() {
        DataFileSummary s = writer.finish();
        reference = new FileReference(name, scope, s.length(), s.crc32c());
        owner.finished(this);
        return reference;
    }

    /** The reference once {@link #finish()} succeeded, else {@code null}. */
    public FileReference reference() {
        return reference;
    }

    /** Abandons the file if unfinished; it is deleted when the checkpoint aborts. */
    @Override
    public void close() {
        writer.close();
    }
}
