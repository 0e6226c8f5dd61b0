package io.tidemark.jmh.backend.flink;

import io.tidemark.jmh.backend.BenchmarkBackend;
import io.tidemark.jmh.backend.BytesValueState;
import io.tidemark.jmh.backend.LongListState;
import io.tidemark.jmh.backend.LongMapState;
import io.tidemark.jmh.backend.LongValueState;
import io.tidemark.jmh.keys.KeySpace;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.State;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.runtime.state.AbstractKeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.state.rocksdb.RocksDBKeyedStateBackend;

/**
 * Keyed state backends of a Flink task: {@code HeapKeyedStateBackend} (what {@code HashMapStateBackend} creates),
 * {@code RocksDBKeyedStateBackend} (what {@code EmbeddedRocksDBStateBackend} creates) and Tidemark's (what
 * {@code io.tidemark.flink.TidemarkStateBackend} creates), used through Flink's state API exactly as an operator does:
 * set the current key, then call the state.
 *
 * <p>Keys are the key space's shared {@code Long} objects, as Flink hands operators keys that are already objects;
 * values are boxed on each call, as user code does.
 */
public final class FlinkBackend implements BenchmarkBackend {
    private final String name;
    private final AbstractKeyedStateBackend<Long> backend;
    private final FlinkBackendBuilders.Resources resources;
    private final KeySpace keySpace;
    private final Long[] keys;
    private final List<StateDescriptor<?, ?>> descriptors = new ArrayList<>();

    private FlinkBackend(
            String name,
            AbstractKeyedStateBackend<Long> backend,
            FlinkBackendBuilders.Resources resources,
            KeySpace keySpace) {
        this.name = name;
        this.backend = backend;
        this.resources = resources;
        this.keySpace = keySpace;
        this.keys = keySpace.boxedKeys();
    }

    public static FlinkBackend heap(String name, KeySpace keys) throws Exception {
        FlinkBackendBuilders.Resources resources = new FlinkBackendBuilders.Resources();
        return new FlinkBackend(name, FlinkBackendBuilders.heap(resources), resources, keys);
    }

    public static FlinkBackend rocksDb(String name, KeySpace keys, Path workDir) throws Exception {
        FlinkBackendBuilders.Resources resources = new FlinkBackendBuilders.Resources();
        return new FlinkBackend(name, FlinkBackendBuilders.rocksDb(resources, workDir), resources, keys);
    }

    /**
     * Tidemark's Flink state backend ({@code io.tidemark.flink}), driven through Flink's keyed state API like the two
     * above; {@code memoryBudget} is its resident budget.
     */
    public static FlinkBackend tidemark(String name, KeySpace keys, Path workDir, MemorySize memoryBudget)
            throws Exception {
        FlinkBackendBuilders.Resources resources = new FlinkBackendBuilders.Resources();
        return new FlinkBackend(name, FlinkBackendBuilders.tidemark(resources, workDir, memoryBudget), resources, keys);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public LongValueState longValueState() {
        return new FlinkStates.LongValue(
                backend, keys, state(new ValueStateDescriptor<>("longValue", LongSerializer.INSTANCE)));
    }

    @Override
    public BytesValueState bytesValueState(int valueSize) {
        return new FlinkStates.BytesValue(
                backend, keys, state(new ValueStateDescriptor<>("bytesValue", BytePrimitiveArraySerializer.INSTANCE)));
    }

    @Override
    public LongListState longListState() {
        return new FlinkStates.LongList(
                backend, keys, state(new ListStateDescriptor<>("longList", LongSerializer.INSTANCE)));
    }

    @Override
    public LongMapState longMapState(int userKeyCount) {
        MapStateDescriptor<Long, Long> descriptor =
                new MapStateDescriptor<>("longMap", LongSerializer.INSTANCE, LongSerializer.INSTANCE);
        return new FlinkStates.LongMap(backend, keys, keySpace.boxedUserKeys(userKeyCount), state(descriptor));
    }

    /**
     * RocksDB: compact what was loaded into SST files, as flink-benchmarks does for list state, so reads go through
     * the block cache and not only the memtable.
     */
    @Override
    public void loaded() throws Exception {
        if (backend instanceof RocksDBKeyedStateBackend<Long> rocksDb) {
            for (StateDescriptor<?, ?> descriptor : descriptors) {
                rocksDb.compactState(descriptor);
            }
        }
    }

    @Override
    public void close() throws IOException {
        backend.dispose();
        resources.release();
    }

    private <S extends State> S state(StateDescriptor<S, ?> descriptor) {
        descriptors.add(descriptor);
        try {
            return backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, descriptor);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create Flink state: state=" + descriptor.getName(), e);
        }
    }
}
