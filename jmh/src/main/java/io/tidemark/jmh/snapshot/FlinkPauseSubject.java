package io.tidemark.jmh.snapshot;

import io.tidemark.jmh.backend.flink.FlinkBackendBuilders;
import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.core.fs.CloseableRegistry;
import org.apache.flink.runtime.checkpoint.CheckpointOptions;
import org.apache.flink.runtime.state.AbstractKeyedStateBackend;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.SnapshotResult;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.memory.MemCheckpointStreamFactory;

/**
 * Flink 2.3's {@code HeapKeyedStateBackend} (asynchronous, copy-on-write snapshots; always full) with a
 * {@code ValueState<Long>} or {@code ValueState<byte[]>}, snapshotted into Flink's in-memory stream factory, whose
 * bytes are dropped with the handle. Keys are the key space's shared {@code Long} objects; {@code byte[]} values are a
 * fresh array per update (the backend keeps the array and the snapshot thread may be serializing the old one).
 */
final class FlinkPauseSubject implements PauseSubject {
    private final AbstractKeyedStateBackend<Long> backend;
    private final CloseableRegistry registry = new CloseableRegistry();
    private final MemCheckpointStreamFactory streams = new MemCheckpointStreamFactory(Integer.MAX_VALUE);
    private final Long[] keys;
    private final int valueSize;
    private final ValueState<Long> longs;
    private final ValueState<byte[]> bytes;
    private final AtomicLong written = new AtomicLong();
    private final SplittableRandom random;

    FlinkPauseSubject(PauseOptions options, Long[] keys) throws Exception {
        this.backend = FlinkBackendBuilders.heap(registry, List.of());
        this.keys = keys;
        this.valueSize = options.valueSize();
        this.random = new SplittableRandom(options.keyCount());
        if (valueSize == Long.BYTES) {
            longs = backend.getPartitionedState(
                    VoidNamespace.INSTANCE,
                    VoidNamespaceSerializer.INSTANCE,
                    new ValueStateDescriptor<>("v", LongSerializer.INSTANCE));
            bytes = null;
        } else {
            longs = null;
            bytes = backend.getPartitionedState(
                    VoidNamespace.INSTANCE,
                    VoidNamespaceSerializer.INSTANCE,
                    new ValueStateDescriptor<>("b", BytePrimitiveArraySerializer.INSTANCE));
        }
        for (int i = 0; i < keys.length; i++) {
            write(i);
        }
    }

    @Override
    public void update(int index) throws Exception {
        write(index);
    }

    private void write(int index) throws Exception {
        backend.setCurrentKey(keys[index]);
        if (longs != null) {
            longs.update(random.nextLong());
        } else {
            byte[] value = new byte[valueSize];
            random.nextBytes(value);
            bytes.update(value);
        }
    }

    @Override
    public Object snapshot(long checkpointId) throws Exception {
        return backend.snapshot(
                checkpointId, checkpointId, streams, CheckpointOptions.forCheckpointWithDefaultLocation());
    }

    @Override
    @SuppressWarnings("unchecked")
    public void runAsync(Object asyncPart) throws Exception {
        RunnableFuture<SnapshotResult<KeyedStateHandle>> future =
                (RunnableFuture<SnapshotResult<KeyedStateHandle>>) asyncPart;
        future.run();
        KeyedStateHandle handle = future.get().getJobManagerOwnedSnapshot();
        written.addAndGet(handle == null ? 0 : handle.getStateSize());
    }

    @Override
    public long bytesWritten() {
        return written.get();
    }

    @Override
    public void completed(long checkpointId) throws Exception {
        backend.notifyCheckpointComplete(checkpointId);
    }

    @Override
    public void close() throws IOException {
        backend.dispose();
        registry.close();
    }
}
