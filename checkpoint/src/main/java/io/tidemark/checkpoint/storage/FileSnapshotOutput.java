package io.tidemark.checkpoint.storage;

import io.tidemark.backend.snapshot.SnapshotOutput;
import io.tidemark.backend.snapshot.StreamHandle;
import io.tidemark.checkpoint.format.FileReference;

/** {@link SnapshotOutput} over one {@link CheckpointFileOutput}. One thread. */
final class FileSnapshotOutput extends SnapshotOutput {
    private final PendingCheckpoint pending;
    private final CheckpointFileOutput out;
    private final boolean shared;
    private boolean done;

    FileSnapshotOutput(PendingCheckpoint pending, CheckpointFileOutput out, boolean shared) {
        this.pending = pending;
        this.out = out;
        this.shared = shared;
    }

    @Override
    public void write(int b) {
        out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        out.write(b, off, len);
    }

    @Override
    public long position() {
        return out.position();
    }

    /** Finishes and fsyncs the file; on failure the partial file is removed and the error rethrown. */
    @Override
    public StreamHandle closeAndGetHandle() {
        if (done) {
            throw new IllegalStateException("snapshot stream already closed: " + out.name());
        }
        done = true;
        long length = out.position();
        FileReference ref;
        try {
            ref = out.finish();
        } catch (RuntimeException e) {
            pending.discard(out);
            throw e;
        }
        return new StreamHandle(SnapshotStreamNames.streamName(ref), length, shared);
    }

    @Override
    public void abort() {
        if (!done) {
            done = true;
            pending.discard(out);
        }
    }

    @Override
    public void close() {
        abort();
    }
}
