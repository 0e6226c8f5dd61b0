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
import io.tidemark.state.MapState;
import io.tidemark.state.MapStateDescriptor;
import io.tidemark.state.ValueState;
import io.tidemark.state.ValueStateDescriptor;
import io.tidemark.state.offheap.OffHeapBackendContext;
import io.tidemark.state.offheap.OffHeapStateBackend;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * Tidemark's {@code offheap} backend, one instance owning all 128 key groups, with a {@code LongValueState} (8-byte
 * values) or a {@code ValueState<byte[]>} (larger values), or with {@code state=bytes} a {@code ValueState<byte[]>} of
 * varied lengths, or with {@code state=map} a {@code MapState<Long, Long>}. Keys are selected with
 * {@code setCurrentKey(long)} from the key space's {@code long[]}; a value update rewrites the first 8 bytes of a
 * reused array (one per length) with a counter and the rest stays random, so the backend (which copies the bytes) sees
 * a new value each time; a map update puts a counter under one of the key's user keys, chosen at random.
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
    private final MapState<Long, Long> map;
    private final Long[] userKeys;
    private final byte[][] valuesByLength;
    private final SplittableRandom updates;
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
        this.updates = new SplittableRandom(options.keyCount() + 1L);
        LongValueState longState = null;
        ValueState<byte[]> bytesState = null;
        MapState<Long, Long> mapState = null;
        Long[] mapKeys = null;
        byte[][] arrays;
        switch (options.state()) {
            case "map" -> {
                mapState = backend.getOrCreateKeyedState(
                        new MapStateDescriptor<>("m", LongSerializer.INSTANCE, LongSerializer.INSTANCE));
                mapKeys = new Long[options.mapSize()];
                for (int i = 0; i < mapKeys.length; i++) {
                    mapKeys[i] = (long) i;
                }
                arrays = new byte[0][];
            }
            case "bytes" -> {
                bytesState = backend.getOrCreateKeyedState(new ValueStateDescriptor<>("b", BytesSerializer.INSTANCE));
                arrays = randomArrays(options.valueSize() / 2, options.valueSize() * 3 / 2, random);
            }
            default -> {
                if (options.valueSize() == Long.BYTES) {
                    longState = backend.getOrCreateKeyedState(new LongValueStateDescriptor("v", 0L));
                    arrays = new byte[0][];
                } else {
                    bytesState =
                            backend.getOrCreateKeyedState(new ValueStateDescriptor<>("b", BytesSerializer.INSTANCE));
                    arrays = randomArrays(options.valueSize(), options.valueSize(), random);
                }
            }
        }
        this.longs = longState;
        this.bytes = bytesState;
        this.map = mapState;
        this.userKeys = mapKeys;
        this.valuesByLength = arrays;
        load(random);
    }

    /** One array per length in {@code [min, max]}, random bytes (at least 8, for the counter). */
    private static byte[][] randomArrays(int min, int max, SplittableRandom random) {
        byte[][] arrays = new byte[max - Math.max(Long.BYTES, min) + 1][];
        for (int i = 0; i < arrays.length; i++) {
            arrays[i] = new byte[Math.max(Long.BYTES, min) + i];
            random.nextBytes(arrays[i]);
        }
        return arrays;
    }

    private void load(SplittableRandom random) {
        Map<Long, Long> entries = map == null ? null : new HashMap<>(userKeys.length * 2);
        for (int i = 0; i < keys.length; i++) {
            backend.setCurrentKey(keys[i]);
            if (longs != null) {
                longs.set(random.nextLong());
            } else if (bytes != null) {
                byte[] value = valuesByLength[random.nextInt(valuesByLength.length)];
                LONG_AT.set(value, 0, random.nextLong());
                bytes.update(value);
            } else {
                entries.clear();
                for (Long userKey : userKeys) {
                    entries.put(userKey, random.nextLong());
                }
                map.putAll(entries);
            }
        }
    }

    @Override
    public void update(int index) {
        backend.setCurrentKey(keys[index]);
        if (longs != null) {
            longs.add(1);
        } else if (bytes != null) {
            byte[] value = valuesByLength[valuesByLength.length == 1 ? 0 : updates.nextInt(valuesByLength.length)];
            LONG_AT.set(value, 0, ++counter);
            bytes.update(value);
        } else {
            map.put(userKeys[updates.nextInt(userKeys.length)], ++counter);
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
