package io.tidemark.pipeline.checkpoint;

import io.tidemark.CorruptCheckpointException;
import io.tidemark.StorageIOException;
import io.tidemark.StorageSpaceException;
import io.tidemark.backend.snapshot.SnapshotOutput;
import io.tidemark.backend.snapshot.SnapshotReader;
import io.tidemark.backend.snapshot.SnapshotStorage;
import io.tidemark.backend.snapshot.StreamHandle;
import io.tidemark.keygroup.KeyGroupRange;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

/**
 * Checkpoints as directories {@code chk-<id>/} under one root, each holding its snapshot streams and, once complete, a
 * {@code _metadata} file. Commit: streams fsynced as they close, {@code _metadata.tmp} written and fsynced, renamed to
 * {@code _metadata}, directory fsynced (RELIABILITY.md P1). A directory without {@code _metadata} is an aborted or
 * interrupted checkpoint and is deleted on open. Every stream carries a CRC32C trailer, checked when it is opened.
 * Full (non-incremental) checkpoints only: no stream is shared between checkpoints. Thread-safe.
 */
public final class FileCheckpointStorage implements CheckpointStorage, SnapshotReader {
    public static final String METADATA = "_metadata";
    private static final String PREFIX = "chk-";

    private final Path root;
    private final int retained;
    private final AtomicLong nextId;
    private final AtomicLong streamSequence = new AtomicLong();

    public FileCheckpointStorage(Path root, int retained) {
        this.root = root;
        this.retained = retained;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new StorageIOException("cannot create checkpoint directory: dir=" + root + ": " + e, e);
        }
        long max = 0;
        for (long id : checkpointIds()) {
            max = Math.max(max, id);
        }
        nextId = new AtomicLong(max + 1);
        for (long id : checkpointIds()) {
            if (!Files.exists(directory(id).resolve(METADATA))) {
                deleteRecursively(directory(id));
            }
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public void reserveIdsThrough(long id) {
        nextId.accumulateAndGet(id + 1, Math::max);
    }

    @Override
    public long nextCheckpointId() {
        return nextId.getAndIncrement();
    }

    @Override
    public SnapshotStorage begin(long id) {
        Path dir = directory(id);
        try {
            Files.createDirectories(dir);
            fsyncDirectory(root);
        } catch (IOException e) {
            throw new StorageIOException("cannot create checkpoint directory: dir=" + dir + ": " + e, e);
        }
        return new SnapshotStorage() {
            @Override
            public SnapshotOutput createOutput(String name, KeyGroupRange keyGroupRange, boolean shared) {
                String file = PREFIX + id + "/" + sanitize(name) + "-" + streamSequence.incrementAndGet();
                return new FileOutput(root.resolve(file), file);
            }

            @Override
            public SnapshotReader reader() {
                return FileCheckpointStorage.this;
            }
        };
    }

    @Override
    public void commit(CheckpointMetadata metadata, long bytes) {
        Path dir = directory(metadata.checkpointId());
        Path tmp = dir.resolve(METADATA + ".tmp");
        try {
            fsyncDirectory(dir);
            try (FileChannel ch = FileChannel.open(
                    tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(metadata.encode()));
                ch.force(true);
            }
            Files.move(tmp, dir.resolve(METADATA), StandardCopyOption.ATOMIC_MOVE);
            fsyncDirectory(dir);
        } catch (IOException e) {
            throw storageError("cannot write checkpoint metadata: file=" + tmp, e);
        }
        applyRetention();
    }

    @Override
    public void abort(long id) {
        deleteRecursively(directory(id));
    }

    @Override
    public Optional<CheckpointMetadata> latest() {
        List<Long> ids = checkpointIds();
        Collections.sort(ids, Collections.reverseOrder());
        for (long id : ids) {
            Path file = directory(id).resolve(METADATA);
            if (Files.exists(file)) {
                return Optional.of(load(file));
            }
        }
        return Optional.empty();
    }

    /** Reads and verifies the metadata at {@code path} (a {@code _metadata} file or a checkpoint directory). */
    public static CheckpointMetadata load(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve(METADATA) : path;
        try {
            return CheckpointMetadata.decode(Files.readAllBytes(file), file.toString());
        } catch (NoSuchFileException e) {
            throw new CorruptCheckpointException("checkpoint metadata missing", file.toString(), 0, "file", "none");
        } catch (IOException e) {
            throw new StorageIOException("cannot read checkpoint metadata: file=" + file + ": " + e, e);
        }
    }

    @Override
    public SnapshotReader readerFor(long checkpointId) {
        return this;
    }

    @Override
    public void close() {}

    @Override
    public SavepointWriter beginSavepoint(long id, Path targetDirectory) {
        throw new io.tidemark.ConfigurationException("savepoints need the checkpoint module's storage: storage="
                + "pipeline-v1; unset -Dtidemark.checkpoint.storage");
    }

    /** See {@link CheckpointStorage#locate}. */
    static Located locate(Path path) {
        Path dir = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
        if (Files.isDirectory(path) && !Files.exists(path.resolve(METADATA))) {
            FileCheckpointStorage storage = new FileCheckpointStorage(path, Integer.MAX_VALUE);
            CheckpointMetadata latest = storage.latest()
                    .orElseThrow(() -> new CorruptCheckpointException(
                            "no completed checkpoint", path.toString(), 0, "chk-<id>/_metadata", "none"));
            return new Located(latest, storage, storage.describe(latest.checkpointId()));
        }
        CheckpointMetadata metadata = load(dir);
        return new Located(
                metadata,
                new FileCheckpointStorage(dir.toAbsolutePath().getParent(), Integer.MAX_VALUE),
                dir.toString());
    }

    @Override
    public String describe(long id) {
        return directory(id).toString();
    }

    @Override
    public InputStream open(StreamHandle handle, long position) {
        Path file = root.resolve(handle.name());
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CorruptCheckpointException(
                    "snapshot stream unreadable: " + e, file.toString(), 0, "file", "none");
        }
        if (data.length != handle.length() + 4) {
            throw new CorruptCheckpointException(
                    "snapshot stream length mismatch", file.toString(), 0, handle.length() + 4, data.length);
        }
        CRC32C crc = new CRC32C();
        crc.update(data, 0, data.length - 4);
        int stored = ByteBuffer.wrap(data, data.length - 4, 4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .getInt();
        if (stored != (int) crc.getValue()) {
            throw new CorruptCheckpointException(
                    "snapshot stream checksum mismatch",
                    file.toString(),
                    data.length - 4,
                    (int) crc.getValue(),
                    stored);
        }
        return new ByteArrayInputStream(data, (int) position, (int) (handle.length() - position));
    }

    private void applyRetention() {
        List<Long> complete = new ArrayList<>();
        for (long id : checkpointIds()) {
            if (Files.exists(directory(id).resolve(METADATA))) {
                complete.add(id);
            }
        }
        Collections.sort(complete);
        for (int i = 0; i < complete.size() - retained; i++) {
            deleteRecursively(directory(complete.get(i)));
        }
    }

    private List<Long> checkpointIds() {
        List<Long> ids = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, PREFIX + "*")) {
            for (Path dir : dirs) {
                try {
                    ids.add(Long.parseLong(dir.getFileName().toString().substring(PREFIX.length())));
                } catch (NumberFormatException ignored) {
                    // not ours: leave it alone
                }
            }
        } catch (IOException e) {
            throw new StorageIOException("cannot list checkpoint directory: dir=" + root + ": " + e, e);
        }
        return ids;
    }

    private Path directory(long id) {
        return root.resolve(PREFIX + id);
    }

    private static String sanitize(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    static void deleteRecursively(Path path) {
        try {
            if (Files.isDirectory(path)) {
                try (DirectoryStream<Path> children = Files.newDirectoryStream(path)) {
                    for (Path child : children) {
                        deleteRecursively(child);
                    }
                }
            }
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // best effort: a leftover is ignored (no _metadata) and retried on the next open
        }
    }

    static io.tidemark.TidemarkException storageError(String what, IOException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("No space left")) {
            return new StorageSpaceException(what + ": " + e, e);
        }
        return new StorageIOException(what + ": " + e, e);
    }

    /** A stream file: bytes plus a CRC32C trailer; fsynced before its handle is returned. */
    private static final class FileOutput extends SnapshotOutput {
        private final Path file;
        private final String name;
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        private final CRC32C crc = new CRC32C();
        private long position;
        private boolean finished;

        FileOutput(Path file, String name) {
            this.file = file;
            this.name = name;
            try {
                this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw storageError("cannot create snapshot stream: file=" + file, e);
            }
        }

        @Override
        public void write(int b) {
            if (!buffer.hasRemaining()) {
                flushBuffer();
            }
            buffer.put((byte) b);
            position++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            while (len > 0) {
                if (!buffer.hasRemaining()) {
                    flushBuffer();
                }
                int n = Math.min(len, buffer.remaining());
                buffer.put(b, off, n);
                off += n;
                len -= n;
                position += n;
            }
        }

        private void flushBuffer() {
            buffer.flip();
            crc.update(buffer.duplicate());
            try {
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            } catch (IOException e) {
                abort();
                throw storageError("cannot write snapshot stream: file=" + file, e);
            }
            buffer.clear();
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public StreamHandle closeAndGetHandle() {
            flushBuffer();
            ByteBuffer trailer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            trailer.putInt((int) crc.getValue()).flip();
            try {
                while (trailer.hasRemaining()) {
                    channel.write(trailer);
                }
                channel.force(true);
                channel.close();
            } catch (IOException e) {
                abort();
                throw storageError("cannot finish snapshot stream: file=" + file, e);
            }
            finished = true;
            return new StreamHandle(name, position, false);
        }

        @Override
        public void abort() {
            finished = true;
            try {
                channel.close();
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the checkpoint directory is removed as a whole when the checkpoint aborts
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
