package io.tidemark.jmh.checkpoint;

import io.tidemark.backend.KeyedBackendParameters;
import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.backend.StateBackend;
import io.tidemark.backend.TtlClock;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.SnapshotHandles;
import io.tidemark.backend.snapshot.SnapshotKind;
import io.tidemark.checkpoint.fs.NioCheckpointFileSystem;
import io.tidemark.checkpoint.storage.CheckpointSnapshotReader;
import io.tidemark.checkpoint.storage.CheckpointStorage;
import io.tidemark.checkpoint.storage.CheckpointStorageConfig;
import io.tidemark.checkpoint.storage.CompletedCheckpoint;
import io.tidemark.checkpoint.storage.FileSnapshotStorage;
import io.tidemark.checkpoint.storage.PendingCheckpoint;
import io.tidemark.checkpoint.storage.RestorePolicy;
import io.tidemark.jmh.keys.KeySpace;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.serialization.BytesSerializer;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.state.ValueState;
import io.tidemark.state.ValueStateDescriptor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * A Tidemark keyed backend checkpointed through the checkpoint module's real file storage ({@link CheckpointStorage},
 * zstd level 1, CRC32C, fsync of every data file, of the directories and of {@code _metadata}), the way the
 * checkpoint coordinator drives it: begin, snapshot into a {@link FileSnapshotStorage}, reference the streams, commit
 * the handle as payload, notify the backend.
 */
final class TidemarkSubject implements CheckpointSubject {
    private static final int MAX_PARALLELISM = 128;
    private static final ValueStateDescriptor<byte[]> VALUE = new ValueStateDescriptor<>("b", BytesSerializer.INSTANCE);

    private final String name;
    private final StateBackend factory;
    private final Path directory;
    private final Path checkpoints;
    private final KeySpace keySpace;
    private final CheckpointStorage storage;
    private final KeyedStateBackend<Long> backend;
    private final ValueState<byte[]> state;
    private int backends;

    TidemarkSubject(String name, StateBackend factory, KeySpace keySpace, Path directory) {
        this.name = name;
        this.factory = factory;
        this.directory = directory;
        this.checkpoints = directory.resolve("checkpoints");
        // keys boxed per call, not an array of all of them: RestoreRun restores 10M keys in a 512 MiB heap
        this.keySpace = keySpace;
        this.storage = CheckpointStorage.open(
                CheckpointStorageConfig.of(checkpoints).withRetainedCheckpoints(2),
                NioCheckpointFileSystem.INSTANCE,
                RestorePolicy.LATEST_ONLY);
        this.backend = newBackend();
        this.state = backend.getOrCreateKeyedState(VALUE);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void put(int key, byte[] value) {
        backend.setCurrentKey(keySpace.key(key));
        state.update(value);
    }

    @Override
    public CheckpointSample checkpoint(long checkpointId, boolean incremental) throws Exception {
        Set<Path> before = NewFiles.list(checkpoints);
        PendingCheckpoint pending = storage.begin(checkpointId);
        FileSnapshotStorage files = FileSnapshotStorage.of(pending);
        SnapshotKind kind = incremental ? SnapshotKind.INCREMENTAL : SnapshotKind.FULL;

        long start = System.nanoTime();
        Callable<KeyedStateHandle> asyncPart = backend.snapshot(checkpointId, kind, files);
        long synced = System.nanoTime();
        KeyedStateHandle handle = asyncPart.call();
        long written = System.nanoTime();
        files.referenceStreams(handle.streams());
        pending.commit(payload(handle));
        backend.notifyCheckpointComplete(checkpointId);
        long completed = System.nanoTime();

        return new CheckpointSample(
                synced - start, written - synced, completed - written, NewFiles.bytesSince(checkpoints, before));
    }

    @Override
    public int restoreLatest(int probeKey) throws Exception {
        CompletedCheckpoint latest = storage.latest();
        KeyedStateHandle handle = SnapshotHandles.readKeyed(
                new DataInputStream(new ByteArrayInputStream(latest.metadata().payload())));
        Path workDir = directory.resolve("backend-" + backends);
        try (KeyedStateBackend<Long> restored = newBackend()) {
            restored.restore(List.of(handle), new CheckpointSnapshotReader(NioCheckpointFileSystem.INSTANCE, latest));
            ValueState<byte[]> value = restored.getOrCreateKeyedState(VALUE);
            restored.setCurrentKey(keySpace.key(probeKey));
            return value.value().length;
        } finally {
            NewFiles.deleteRecursively(workDir);
        }
    }

    @Override
    public void close() throws IOException {
        backend.close();
    }

    /** Each backend gets its own working directory: the offheap backend refuses a directory another one holds. */
    private KeyedStateBackend<Long> newBackend() {
        return factory.createKeyedStateBackend(new KeyedBackendParameters<>(
                name,
                LongSerializer.INSTANCE,
                MAX_PARALLELISM,
                KeyGroupRange.all(MAX_PARALLELISM),
                TtlClock.SYSTEM,
                directory.resolve("backend-" + backends++)));
    }

    private static byte[] payload(KeyedStateHandle handle) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            SnapshotHandles.writeKeyed(handle, out);
        }
        return bytes.toByteArray();
    }
}
