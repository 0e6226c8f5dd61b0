package io.tidemark.jmh.backend.tidemark;

import io.tidemark.backend.KeyedBackendParameters;
import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.backend.StateBackend;
import io.tidemark.backend.TtlClock;
import io.tidemark.jmh.backend.BenchmarkBackend;
import io.tidemark.jmh.backend.BytesValueState;
import io.tidemark.jmh.backend.LongListState;
import io.tidemark.jmh.backend.LongMapState;
import io.tidemark.jmh.backend.LongValueState;
import io.tidemark.jmh.backend.PrimitiveLongValueState;
import io.tidemark.jmh.keys.KeySpace;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.serialization.BytesSerializer;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.state.ListStateDescriptor;
import io.tidemark.state.LongValueStateDescriptor;
import io.tidemark.state.MapStateDescriptor;
import io.tidemark.state.ValueStateDescriptor;
import io.tidemark.state.offheap.OffHeapKeyedStateBackend;
import java.nio.file.Path;

/**
 * A Tidemark keyed backend under benchmark: one instance owning all 128 key groups, Long keys (the key space's shared
 * {@code Long} objects, as records carry them; or primitive longs for {@link #primitiveLongValueState()}), the same key
 * space as the baselines. With {@code boxed} the 8-byte value benchmarks use the
 * generic {@code ValueState<Long>} instead of the primitive {@code LongValueState}.
 */
public final class TidemarkBackend implements BenchmarkBackend {
    private static final int MAX_PARALLELISM = 128;

    private final String name;
    private final KeyedStateBackend<Long> backend;
    private final KeySpace keySpace;
    private final Long[] keys;
    private final boolean boxed;

    public TidemarkBackend(String name, StateBackend stateBackend, KeySpace keySpace, Path workDir, boolean boxed) {
        this.name = name;
        this.boxed = boxed;
        this.backend = stateBackend.createKeyedStateBackend(new KeyedBackendParameters<>(
                name,
                LongSerializer.INSTANCE,
                MAX_PARALLELISM,
                KeyGroupRange.all(MAX_PARALLELISM),
                TtlClock.SYSTEM,
                workDir));
        this.keySpace = keySpace;
        this.keys = keySpace.boxedKeys();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public LongValueState longValueState() {
        if (boxed) {
            return new TidemarkStates.BoxedLongValue(
                    backend,
                    keys,
                    backend.getOrCreateKeyedState(new ValueStateDescriptor<>("v", LongSerializer.INSTANCE)));
        }
        return new TidemarkStates.PrimitiveLongValue(
                backend, keys, backend.getOrCreateKeyedState(new LongValueStateDescriptor("v", Long.MIN_VALUE)));
    }

    /**
     * The primitive {@code LongValueState}, keys selected with {@link KeyedStateBackend#setCurrentKey(long)} called
     * through the interface: whatever the backend implements behind it (today the boxing default) is what is measured.
     */
    @Override
    public PrimitiveLongValueState primitiveLongValueState() {
        if (boxed) {
            return BenchmarkBackend.super.primitiveLongValueState();
        }
        return new TidemarkStates.PrimitiveKeyLongValue(
                backend, backend.getOrCreateKeyedState(new LongValueStateDescriptor("v", Long.MIN_VALUE)));
    }

    @Override
    public BytesValueState bytesValueState(int valueSize) {
        return new TidemarkStates.BytesValue(
                backend,
                keys,
                backend.getOrCreateKeyedState(new ValueStateDescriptor<>("b", BytesSerializer.INSTANCE)));
    }

    @Override
    public LongListState longListState() {
        return new TidemarkStates.LongList(
                backend, keys, backend.getOrCreateKeyedState(new ListStateDescriptor<>("l", LongSerializer.INSTANCE)));
    }

    @Override
    public LongMapState longMapState(int userKeyCount) {
        return new TidemarkStates.LongMap(
                backend,
                keys,
                keySpace.boxedUserKeys(userKeyCount),
                backend.getOrCreateKeyedState(
                        new MapStateDescriptor<>("m", LongSerializer.INSTANCE, LongSerializer.INSTANCE)));
    }

    /**
     * Bytes of pages the {@code offheap} backend has allocated (its state size, resident or not), or -1 for another
     * backend. Owner (benchmark) thread.
     */
    public long pageBytes() {
        if (backend instanceof OffHeapKeyedStateBackend<?> offHeap) {
            return offHeap.pageStore().allocatedPages() * offHeap.pageStore().pageSize();
        }
        return -1;
    }

    @Override
    public void close() {
        backend.close();
    }
}
