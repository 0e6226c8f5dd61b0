package io.tidemark.flink;

import io.tidemark.backend.snapshot.SnapshotKind;
import io.tidemark.backend.snapshot.SnapshotOutput;
import io.tidemark.backend.snapshot.SnapshotReader;
import io.tidemark.backend.snapshot.SnapshotStorage;
import io.tidemark.backend.snapshot.StreamHandle;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.flink.core.fs.CloseableRegistry;
import org.apache.flink.core.memory.DataOutputViewStreamWrapper;
import org.apache.flink.runtime.checkpoint.CheckpointOptions;
import org.apache.flink.runtime.state.CheckpointStateOutputStream;
import org.apache.flink.runtime.state.CheckpointStreamFactory;
import org.apache.flink.runtime.state.CheckpointedStateScope;
import org.apache.flink.runtime.state.IncrementalKeyedStateHandle.HandleAndLocalPath;
import org.apache.flink.runtime.state.IncrementalRemoteKeyedStateHandle;
import org.apache.flink.runtime.state.KeyedBackendSerializationProxy;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.SnapshotResources;
import org.apache.flink.runtime.state.SnapshotResult;
import org.apache.flink.runtime.state.SnapshotStrategy;
import org.apache.flink.runtime.state.StreamStateHandle;
import org.apache.flink.runtime.state.metainfo.StateMetaInfoSnapshot;

/**
 * Incremental checkpoints from the store's native snapshots: the store writes only what changed since its last
 * confirmed checkpoint (pages of its fixed tables, new ranges of its record log) into one Flink shared stream per
 * checkpoint, and references the streams of earlier confirmed checkpoints for the rest. The checkpoint is an
 * {@link IncrementalRemoteKeyedStateHandle}: the referenced streams are its shared state (Flink's shared-state
 * registry keeps each until no retained checkpoint lists it), its meta stream holds Flink's meta data (serializer
 * snapshots), the timers, and the store's handle ({@link IncrementalMeta}).
 *
 * <p>Savepoints never take this path: they are canonical ({@link TidemarkSnapshots}).
 */
final class TidemarkIncrementalSnapshots<K>
        implements SnapshotStrategy<KeyedStateHandle, TidemarkIncrementalSnapshots.Resources> {
    private final TidemarkKeyedStateBackend<K> backend;
    private final FlinkStreams streams;
    private final SnapshotSpillStorage spill;
    private final UUID backendIdentifier = UUID.randomUUID();
    /** The stream names each checkpoint's handle lists, until a later checkpoint is confirmed. */
    private final ConcurrentSkipListMap<Long, Set<String>> referenced = new ConcurrentSkipListMap<>();

    TidemarkIncrementalSnapshots(TidemarkKeyedStateBackend<K> backend, FlinkStreams streams, Path spillDirectory) {
        this.backend = backend;
        this.streams = streams;
        this.spill = new SnapshotSpillStorage(spillDirectory);
    }

    /** What one incremental checkpoint needs after its synchronous part. */
    static final class Resources implements SnapshotResources {
        private final List<StateMetaInfoSnapshot> metas;
        private final List<TidemarkSnapshots.QueueElements> timers;
        private final RecordingStorage storage;
        private final Callable<io.tidemark.backend.snapshot.KeyedStateHandle> task;
        private io.tidemark.backend.snapshot.KeyedStateHandle handle;
        private Exception failure;

        Resources(
                List<StateMetaInfoSnapshot> metas,
                List<TidemarkSnapshots.QueueElements> timers,
                RecordingStorage storage,
                Callable<io.tidemark.backend.snapshot.KeyedStateHandle> task) {
            this.metas = metas;
            this.timers = timers;
            this.storage = storage;
            this.task = task;
        }

        /** Runs the store's snapshot if it has not run; a failure is kept for {@link #handle()}. */
        synchronized void completeQuietly() {
            if (handle != null || failure != null) {
                return;
            }
            try {
                handle = task.call();
            } catch (Exception e) {
                failure = e;
            }
        }

        synchronized io.tidemark.backend.snapshot.KeyedStateHandle handle() throws IOException {
            completeQuietly();
            if (failure != null) {
                throw new IOException("the store's incremental snapshot failed", failure);
            }
            return handle;
        }

        /** Runs a snapshot never started, so the store is not left waiting for it; deletes spill files left. */
        @Override
        public void release() {
            completeQuietly();
            for (String name : storage.written) {
                storage.spill.delete(new StreamHandle(name, 0, true));
            }
        }
    }

    /** The store's spill storage, remembering the streams this snapshot wrote (to be uploaded). */
    static final class RecordingStorage implements SnapshotStorage {
        private final SnapshotSpillStorage spill;
        private final Set<String> written = java.util.concurrent.ConcurrentHashMap.newKeySet();

        RecordingStorage(SnapshotSpillStorage spill) {
            this.spill = spill;
        }

        @Override
        public SnapshotOutput createOutput(String name, io.tidemark.keygroup.KeyGroupRange range, boolean shared) {
            SnapshotOutput output = spill.createOutput(name, range, shared);
            return new SnapshotOutput() {
                @Override
                public void write(int b) throws IOException {
                    output.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    output.write(b, off, len);
                }

                @Override
                public long position() {
                    return output.position();
                }

                @Override
                public StreamHandle closeAndGetHandle() {
                    StreamHandle handle = output.closeAndGetHandle();
                    written.add(handle.name());
                    return handle;
                }

                @Override
                public void abort() {
                    output.abort();
                }

                @Override
                public void close() {
                    output.close();
                }
            };
        }

        @Override
        public SnapshotReader reader() {
            return spill;
        }
    }

    @Override
    public Resources syncPrepareResources(long checkpointId) {
        List<StateMetaInfoSnapshot> metas = new ArrayList<>();
        for (TidemarkKeyedStateBackend.Registered registered : backend.states().values()) {
            metas.add(registered.meta.snapshot());
        }
        for (StateMetaInfoSnapshot restored : backend.restoredMeta().values()) {
            if (!backend.states().containsKey(restored.getName())) {
                metas.add(restored);
            }
        }
        List<TidemarkSnapshots.QueueElements> timers = new ArrayList<>();
        for (TidemarkKeyedStateBackend.Queue<?> queue : backend.queues().values()) {
            metas.add(queue.meta.snapshot());
            timers.add(TidemarkSnapshots.QueueElements.of(queue, backend));
        }
        backend.completePendingStoreSnapshot();
        RecordingStorage storage = new RecordingStorage(spill);
        Callable<io.tidemark.backend.snapshot.KeyedStateHandle> task =
                backend.store().snapshot(checkpointId, SnapshotKind.INCREMENTAL, storage);
        Resources resources = new Resources(metas, timers, storage, task);
        backend.storeSnapshotTaken(resources::completeQuietly);
        return resources;
    }

    @Override
    public SnapshotResultSupplier<KeyedStateHandle> asyncSnapshot(
            Resources resources,
            long checkpointId,
            long timestamp,
            CheckpointStreamFactory streamFactory,
            CheckpointOptions checkpointOptions) {
        if (resources.metas.isEmpty()) {
            return registry -> SnapshotResult.empty(); // no state: no handle, as Flink's backends do
        }
        return registry -> {
            io.tidemark.backend.snapshot.KeyedStateHandle handle = resources.handle();
            for (StreamHandle stream : handle.streams()) {
                if (resources.storage.written.contains(stream.name())) {
                    upload(stream, streamFactory, registry);
                }
            }
            CheckpointStateOutputStream out =
                    streamFactory.createCheckpointStateOutputStream(CheckpointedStateScope.EXCLUSIVE);
            registry.registerCloseable(out);
            StreamStateHandle meta;
            try {
                writeMeta(new DataOutputViewStreamWrapper(out), resources, handle);
            } finally {
                if (registry.unregisterCloseable(out)) {
                    meta = out.closeAndGetHandle();
                } else {
                    throw new IOException("checkpoint " + checkpointId + " was cancelled");
                }
            }
            List<HandleAndLocalPath> shared = new ArrayList<>();
            List<HandleAndLocalPath> exclusive = new ArrayList<>();
            Set<String> names = new HashSet<>();
            long checkpointed = meta.getStateSize();
            for (StreamHandle stream : handle.streams()) {
                HandleAndLocalPath part = HandleAndLocalPath.of(streams.handle(stream.name()), stream.name());
                (stream.shared() ? shared : exclusive).add(part);
                names.add(stream.name());
                if (resources.storage.written.contains(stream.name())) {
                    checkpointed += stream.length();
                }
            }
            referenced.put(checkpointId, names);
            return SnapshotResult.of(new IncrementalRemoteKeyedStateHandle(
                    backendIdentifier,
                    backend.getKeyGroupRange(),
                    checkpointId,
                    shared,
                    exclusive,
                    meta,
                    checkpointed));
        };
    }

    /**
     * Copies a stream the store wrote to its spill file into Flink's checkpoint storage (the shared scope for shared
     * streams) and deletes the file. The store's snapshot is complete by then: a slow checkpoint storage never holds
     * up the task thread's next snapshot.
     */
    private void upload(StreamHandle stream, CheckpointStreamFactory factory, CloseableRegistry registry)
            throws IOException {
        CheckpointStateOutputStream out = factory.createCheckpointStateOutputStream(
                stream.shared() ? CheckpointedStateScope.SHARED : CheckpointedStateScope.EXCLUSIVE);
        registry.registerCloseable(out);
        try (InputStream in = spill.open(stream, 0)) {
            in.transferTo(out);
        } finally {
            if (!registry.unregisterCloseable(out)) {
                throw new IOException("checkpoint cancelled while uploading the store's stream " + stream.name());
            }
        }
        streams.register(stream.name(), out.closeAndGetHandle());
        spill.delete(stream);
    }

    private void writeMeta(
            DataOutputViewStreamWrapper out, Resources resources, io.tidemark.backend.snapshot.KeyedStateHandle handle)
            throws IOException {
        out.writeInt(IncrementalMeta.MAGIC);
        out.writeInt(IncrementalMeta.VERSION);
        new KeyedBackendSerializationProxy<>(backend.getKeySerializer(), resources.metas, false).write(out);
        for (TidemarkSnapshots.QueueElements queue : resources.timers) {
            queue.writeAll(out);
        }
        IncrementalMeta.writeStoreHandle(out, handle);
    }

    /**
     * Checkpoint {@code checkpointId} is durable: the store may now reference what it wrote, and streams that only
     * older checkpoints listed are forgotten here (Flink's registry discards them once unreferenced).
     */
    void confirmed(long checkpointId) {
        referenced.headMap(checkpointId).clear();
        Set<String> keep = new HashSet<>();
        for (Set<String> names : referenced.values()) {
            keep.addAll(names);
        }
        streams.retainOnly(keep);
    }
}
