package io.tidemark.jmh.snapshot;

import io.tidemark.ConfigurationException;
import io.tidemark.backend.snapshot.SnapshotOutput;
import io.tidemark.backend.snapshot.SnapshotReader;
import io.tidemark.backend.snapshot.SnapshotStorage;
import io.tidemark.backend.snapshot.StreamHandle;
import io.tidemark.keygroup.KeyGroupRange;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Snapshot storage that counts the bytes it is given and keeps none: the snapshot-pause benchmark takes thousands of
 * snapshots, which neither memory nor the shared disk could hold. The asynchronous part still encodes and hands over
 * every byte, so it competes with the owner thread for CPU and memory bandwidth as it would with a file system; what it
 * does not pay is the write and fsync. Nothing can be restored from it. Thread-safe.
 */
final class DiscardingSnapshotStorage implements SnapshotStorage {
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong sequence = new AtomicLong();

    /** Bytes written to finished or unfinished streams since this storage was created. */
    long bytesWritten() {
        return written.get();
    }

    @Override
    public SnapshotOutput createOutput(String name, KeyGroupRange keyGroupRange, boolean shared) {
        return new Output(name + '#' + sequence.incrementAndGet(), shared);
    }

    @Override
    public SnapshotReader reader() {
        throw new ConfigurationException("discarding snapshot storage keeps no stream to read: storage=discard");
    }

    private final class Output extends SnapshotOutput {
        private final String name;
        private final boolean shared;
        private long position;

        Output(String name, boolean shared) {
            this.name = name;
            this.shared = shared;
        }

        @Override
        public void write(int b) {
            position++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            position += len;
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public StreamHandle closeAndGetHandle() {
            written.addAndGet(position);
            return new StreamHandle(name, position, shared);
        }

        @Override
        public void abort() {}

        @Override
        public void close() {}
    }
}
