package io.tidemark.jmh.checkpoint;

import io.tidemark.jmh.backend.flink.FlinkBackendBuilders;
import io.tidemark.jmh.keys.KeySpace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RunnableFuture;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.core.fs.CloseableRegistry;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.runtime.checkpoint.CheckpointOptions;
import org.apache.flink.runtime.state.AbstractKeyedStateBackend;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.SnapshotResult;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.filesystem.FsCheckpointStreamFactory;
import org.apache.flink.state.rocksdb.RocksDBResourceContainer;

/**
 * A Flink keyed backend (heap, or RocksDB with or without incremental checkpoints) checkpointed through Flink's own
 * file-based {@link FsCheckpointStreamFactory} on the local file system, as {@code FsCheckpointStorageAccess} sets it
 * up in a task: exclusive files in {@code chk-<id>/}, shared (incremental RocksDB) files in {@code shared/}, state
 * smaller than 20 KiB inlined in the handle, 4 KiB write buffer. Flink's defaults otherwise: no snapshot compression.
 * Flink's local file system does not fsync checkpoint files; Tidemark's storage does.
 */
final class FlinkSubject implements CheckpointSubject {
    private static final int FILE_STATE_THRESHOLD = 20 * 1024;
    private static final int WRITE_BUFFER_SIZE = 4096;

    private final String name;
    private final boolean rocksDb;
    private final boolean incremental;
    private final Path directory;
    private final Path checkpoints;
    private final Long[] keys;
    private final Instance live;
    private KeyedStateHandle latest;
    private int instances;

    FlinkSubject(String name, boolean rocksDb, boolean incremental, KeySpace keySpace, Path directory)
            throws Exception {
        this.name = name;
        this.rocksDb = rocksDb;
        this.incremental = incremental;
        this.directory = directory;
        this.checkpoints = directory.resolve("checkpoints");
        this.keys = CheckpointSubjects.boxed(keySpace);
        Files.createDirectories(checkpoints.resolve("shared"));
        this.live = open(List.of());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void put(int key, byte[] value) throws Exception {
        live.backend.setCurrentKey(keys[key]);
        live.state.update(value);
    }

    /** {@code incremental} was fixed when the backend was built (RocksDB); the heap backend has only full snapshots. */
    @Override
    public CheckpointSample checkpoint(long checkpointId, boolean ignored) throws Exception {
        Set<Path> before = NewFiles.list(checkpoints);
        Path exclusive = Files.createDirectories(checkpoints.resolve("chk-" + checkpointId));
        FsCheckpointStreamFactory streams = new FsCheckpointStreamFactory(
                FileSystem.getLocalFileSystem(),
                new org.apache.flink.core.fs.Path(exclusive.toUri()),
                new org.apache.flink.core.fs.Path(checkpoints.resolve("shared").toUri()),
                FILE_STATE_THRESHOLD,
                WRITE_BUFFER_SIZE);

        long start = System.nanoTime();
        RunnableFuture<SnapshotResult<KeyedStateHandle>> asyncPart = live.backend.snapshot(
                checkpointId,
                System.currentTimeMillis(),
                streams,
                CheckpointOptions.forCheckpointWithDefaultLocation());
        long synced = System.nanoTime();
        asyncPart.run();
        SnapshotResult<KeyedStateHandle> result = asyncPart.get();
        long written = System.nanoTime();
        live.backend.notifyCheckpointComplete(checkpointId);
        long completed = System.nanoTime();

        latest = result.getJobManagerOwnedSnapshot();
        return new CheckpointSample(synced - start, written - synced, completed - written, bytesWritten(before));
    }

    /**
     * Files created plus the state Flink inlined into the handle (below the 20 KiB threshold: small RocksDB SST and
     * metadata files that a job manager would store in its {@code _metadata}). Flink's own "checkpointed size" of
     * the handle counts the same for files; the larger of the two is taken so neither an inlined file nor a file
     * outside the handle's count is missed.
     */
    private long bytesWritten(Set<Path> before) {
        long files = NewFiles.bytesSince(checkpoints, before);
        return latest == null ? files : Math.max(files, latest.getCheckpointedSize());
    }

    @Override
    public int restoreLatest(int probeKey) throws Exception {
        Instance restored = open(List.of(latest));
        try {
            restored.backend.setCurrentKey(keys[probeKey]);
            return restored.state.value().length;
        } finally {
            restored.close();
        }
    }

    @Override
    public void close() throws IOException {
        live.close();
    }

    private Instance open(Collection<KeyedStateHandle> restore) throws Exception {
        Path workDir = directory.resolve("backend-" + instances++);
        Files.createDirectories(workDir);
        CloseableRegistry registry = new CloseableRegistry();
        RocksDBResourceContainer container = rocksDb ? new RocksDBResourceContainer() : null;
        AbstractKeyedStateBackend<Long> backend = rocksDb
                ? FlinkBackendBuilders.rocksDb(registry, container, workDir, incremental, restore)
                : FlinkBackendBuilders.heap(registry, restore);
        ValueState<byte[]> state = backend.getPartitionedState(
                VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE,
                new ValueStateDescriptor<>("bytesValue", BytePrimitiveArraySerializer.INSTANCE));
        return new Instance(backend, state, registry, container, workDir);
    }

    private record Instance(
            AbstractKeyedStateBackend<Long> backend,
            ValueState<byte[]> state,
            CloseableRegistry registry,
            RocksDBResourceContainer container,
            Path workDir) {
        void close() throws IOException {
            backend.dispose();
            registry.close();
            if (container != null) {
                try {
                    container.close();
                } catch (Exception e) {
                    throw new IOException("cannot release RocksDB options and caches", e);
                }
            }
            NewFiles.deleteRecursively(workDir);
        }
    }
}
