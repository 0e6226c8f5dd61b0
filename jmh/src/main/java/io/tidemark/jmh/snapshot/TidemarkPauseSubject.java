package io.tidemark.jmh.snapshot;

import io.tidemark.StateAccessException;
import io.tidemark.backend.KeyedBackendParameters;
import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.backend.TtlClock;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.SnapshotKind;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.serialization.BytesSerializer;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.state.LongValueState;
import io.tidemark.state.LongValueStateDescriptor;
import io.tidemark.state.ValueState;
import io.tidemark.state.ValueStateDescriptor;
import io.tidemark.state.offheap.OffHeapBackendContext;
import io.tidemark.state.offheap.OffHeapStateBackend;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * Tidemark's {@code offheap} backend, one instance owning all 128 key groups, with a {@code LongValueState} (8-byte
 * values) or a {@code ValueState<byte[]>} (larger values). Keys are selected with {@code setCurrentKey(long)} from the
 * key space's {@code long[]}; a value update rewrites the first 8 bytes of one reused array with a counter and the rest
 * stays random, so the backend (which copies the bytes) sees a new value each time.
 */
final class TidemarkPauseSubject implements PauseSubject {
    private static final int MAX_PARALLELISM = 128;
    private static final VarHandle LONG_AT =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final KeyedStateBackend<Long> backend;
    private final long[] keys;
    private final SnapshotKind kind;
    private final DiscardingSnapshotStorage storage = new DiscardingSnapshotStorage();
    private final LongValueState longs;
    private final ValueState<byte[]> bytes;
    private final byte[] value;
    private long counter;

    TidemarkPauseSubject(PauseOptions options, long[] keys, Path workDir) {
        OffHeapBackendContext context = new OffHeapBackendContext().residentBudget(options.residentBudgetMiB() << 20);
        this.backend = new OffHeapStateBackend(context)
                .createKeyedStateBackend(new KeyedBackendParameters<>(
                        "snapshot-pause",
                        LongSerializer.INSTANCE,
                        MAX_PARALLELISM,
                        KeyGroupRange.all(MAX_PARALLELISM),
                        TtlClock.SYSTEM,
                        workDir));
        this.keys = keys;
        this.kind = options.kind().equals("full") ? SnapshotKind.FULL : SnapshotKind.INCREMENTAL;
        SplittableRandom random = new SplittableRandom(options.keyCount());
        if (options.valueSize() == Long.BYTES) {
            longs = backend.getOrCreateKeyedState(new LongValueStateDescriptor("v", 0L));
            bytes = null;
            value = null;
        } else {
            longs = null;
            bytes = backend.getOrCreateKeyedState(new ValueStateDescriptor<>("b", BytesSerializer.INSTANCE));
            value = new byte[options.valueSize()];
            for (int i = 0; i + Long.BYTES <= value.length; i += Long.BYTES) {
                LONG_AT.set(value, i, random.nextLong());
            }
        }
        for (int i = 0; i < keys.length; i++) {
            if (longs != null) {
                backend.setCurrentKey(keys[i]);
                longs.set(random.nextLong());
            } else {
                LONG_AT.set(value, 0, random.nextLong());
                backend.setCurrentKey(keys[i]);
                bytes.update(value);
            }
        }
    }

    @Override
    public void update(int index) {
        backend.setCurrentKey(keys[index]);
        if (longs != null) {
            longs.add(1);
        } else {
            LONG_AT.set(value, 0, ++counter);
            bytes.update(value);
        }
    }

    @Override
    public Object snapshot(long checkpointId) {
        return backend.snapshot(checkpointId, kind, storage);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void runAsync(Object asyncPart) throws Exception {
        ((Callable<KeyedStateHandle>) asyncPart).call();
    }

    @Override
    public long bytesWritten() {
        return storage.bytesWritten();
    }

    @Override
    public boolean superseded(Throwable failure) {
        return failure instanceof StateAccessException
                && String.valueOf(failure.getMessage()).startsWith("snapshot superseded");
    }

    @Override
    public void completed(long checkpointId) {
        backend.notifyCheckpointComplete(checkpointId);
    }

    @Override
    public void close() {
        backend.close();
    }
}
