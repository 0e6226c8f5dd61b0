package io.tidemark.flink;

import io.tidemark.StateAccessException;
import io.tidemark.StorageIOException;
import io.tidemark.backend.snapshot.SnapshotOutput;
import io.tidemark.backend.snapshot.SnapshotReader;
import io.tidemark.backend.snapshot.SnapshotStorage;
import io.tidemark.backend.snapshot.StreamHandle;
import io.tidemark.keygroup.KeyGroupRange;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the store writes the canonical snapshot a Flink snapshot is re-framed from: files in the backend's working
 * directory, so a snapshot of any size takes disk, not heap, while Flink's writer reads it back one key group at a
 * time. A file lives from the snapshot's synchronous part until its resources are released.
 *
 * <p>Threads: each output is written by one thread; reads may come from another after the handle is returned.
 */
final class SnapshotSpillStorage implements SnapshotStorage, SnapshotReader {
    private final Path directory;
    private final AtomicLong sequence = new AtomicLong();

    SnapshotSpillStorage(Path directory) {
        this.directory = directory;
    }

    @Override
    public SnapshotOutput createOutput(String name, KeyGroupRange keyGroupRange, boolean shared) {
        String fileName = "snapshot-" + sequence.incrementAndGet() + "-" + name.replaceAll("[^A-Za-z0-9_.-]", "_");
        Path file = directory.resolve(fileName);
        try {
            Files.createDirectories(directory);
            return new Output(file, shared, Files.newOutputStream(file, StandardOpenOption.CREATE_NEW));
        } catch (IOException e) {
            throw new StorageIOException("cannot create snapshot spill file " + file, e);
        }
    }

    @Override
    public SnapshotReader reader() {
        return this;
    }

    @Override
    public InputStream open(StreamHandle handle, long position) {
        Path file = directory.resolve(handle.name());
        if (position < 0 || position > handle.length()) {
            throw new StateAccessException("snapshot spill file position out of range: file=" + file + ", position="
                    + position + ", length=" + handle.length());
        }
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            channel.position(position);
            return Channels.newInputStream(channel);
        } catch (IOException e) {
            throw new StorageIOException("cannot read snapshot spill file " + file, e);
        }
    }

    /** Deletes the file of {@code handle}. */
    void delete(StreamHandle handle) {
        Path file = directory.resolve(handle.name());
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new StorageIOException("cannot delete snapshot spill file " + file, e);
        }
    }

    private static final class Output extends SnapshotOutput {
        private final Path file;
        private final boolean shared;
        private final OutputStream out;
        private long position;
        private boolean finished;

        Output(Path file, boolean shared, OutputStream out) {
            this.file = file;
            this.shared = shared;
            this.out = new BufferedOutputStream(out, 1 << 16);
        }

        @Override
        public void write(int b) {
            try {
                out.write(b);
            } catch (IOException e) {
                throw new StorageIOException("cannot write snapshot spill file " + file, e);
            }
            position++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw new StorageIOException("cannot write snapshot spill file " + file, e);
            }
            position += len;
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public StreamHandle closeAndGetHandle() {
            finished = true;
            try {
                out.close();
            } catch (IOException e) {
                throw new StorageIOException("cannot close snapshot spill file " + file, e);
            }
            return new StreamHandle(file.getFileName().toString(), position, shared);
        }

        @Override
        public void abort() {
            finished = true;
            try {
                out.close();
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new StorageIOException("cannot remove aborted snapshot spill file " + file, e);
            }
        }

        @Override
        public void close() {
            if (!finished) {
                abort();
            }
        }
    }
}
