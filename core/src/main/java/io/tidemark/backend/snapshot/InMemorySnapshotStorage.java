package io.tidemark.backend.snapshot;

import io.tidemark.StateAccessException;
import io.tidemark.keygroup.KeyGroupRange;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Snapshot streams kept in memory: for tests, and for embedders that hand snapshots to their own storage. Thread-safe.
 * Not durable.
 */
public final class InMemorySnapshotStorage implements SnapshotStorage, SnapshotReader {
    private final ConcurrentHashMap<String, byte[]> streams = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

    @Override
    public SnapshotOutput createOutput(String name, KeyGroupRange keyGroupRange, boolean shared) {
        String unique = name + "#" + sequence.incrementAndGet();
        return new Output(unique, shared);
    }

    @Override
    public SnapshotReader reader() {
        return this;
    }

    @Override
    public InputStream open(StreamHandle handle, long position) {
        byte[] bytes = streams.get(handle.name());
        if (bytes == null) {
            throw new StateAccessException("snapshot stream not found: stream=" + handle.name());
        }
        if (position < 0 || position > bytes.length) {
            throw new StateAccessException("snapshot stream position out of range: stream=" + handle.name()
                    + ", position=" + position + ", length=" + bytes.length);
        }
        return new ByteArrayInputStream(bytes, (int) position, bytes.length - (int) position);
    }

    /** Number of streams held. */
    public int streamCount() {
        return streams.size();
    }

    /** Total bytes held. */
    public long totalBytes() {
        long total = 0;
        for (byte[] bytes : streams.values()) {
            total += bytes.length;
        }
        return total;
    }

    /** Drops a stream, as retention would. */
    public void discard(StreamHandle handle) {
        streams.remove(handle.name());
    }

    private final class Output extends SnapshotOutput {
        private final String name;
        private final boolean shared;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private boolean finished;

        Output(String name, boolean shared) {
            this.name = name;
            this.shared = shared;
        }

        @Override
        public void write(int b) {
            bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
        }

        @Override
        public long position() {
            return bytes.size();
        }

        @Override
        public StreamHandle closeAndGetHandle() {
            finished = true;
            byte[] content = bytes.toByteArray();
            streams.put(name, content);
            return new StreamHandle(name, content.length, shared);
        }

        @Override
        public void abort() {
            finished = true;
        }

        @Override
        public void close() {
            if (!finished) {
                abort();
            }
        }
    }
}
