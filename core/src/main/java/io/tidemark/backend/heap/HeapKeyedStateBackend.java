package io.tidemark.backend.heap;

import io.tidemark.backend.KeyedBackendParameters;
import io.tidemark.backend.internal.AbstractKeyedStateBackend;
import io.tidemark.backend.internal.InternalDoubleState;
import io.tidemark.backend.internal.InternalListState;
import io.tidemark.backend.internal.InternalLongState;
import io.tidemark.backend.internal.InternalMapState;
import io.tidemark.backend.internal.InternalValueState;
import io.tidemark.backend.internal.SnapshotSource;
import io.tidemark.serialization.StateSerializer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The reference keyed backend: Java objects in one hash map per state and key group. Snapshots are canonical and
 * copy-on-write: the synchronous part freezes the maps in O(key groups), the writer copies a map before its first change
 * after that. Operator thread only; values handed to state must not be mutated afterwards.
 */
public final class HeapKeyedStateBackend<K> extends AbstractKeyedStateBackend<K> {
    private final List<HeapStateTable> tables = new ArrayList<>();

    public HeapKeyedStateBackend(KeyedBackendParameters<K> parameters) {
        super(parameters);
    }

    void checkKeyFor(String stateName) {
        checkKey(stateName);
    }

    private HeapStateTable newTable(int index) {
        HeapStateTable table = new HeapStateTable(keyGroupRange());
        if (index != tables.size()) {
            throw new IllegalStateException("state index out of order: index=" + index + ", tables=" + tables.size());
        }
        tables.add(table);
        return table;
    }

    @Override
    protected <N, T> InternalValueState<N, T> createValueState(
            int index, String name, StateSerializer<N> namespaceSerializer, StateSerializer<T> valueSerializer) {
        return new HeapValueState<>(this, newTable(index), name, valueSerializer);
    }

    @Override
    protected <N, T> InternalListState<N, T> createListState(
            int index, String name, StateSerializer<N> namespaceSerializer, StateSerializer<T> elementSerializer) {
        return new HeapListState<>(this, newTable(index), name);
    }

    @Override
    protected <N, UK, UV> InternalMapState<N, UK, UV> createMapState(
            int index,
            String name,
            StateSerializer<N> namespaceSerializer,
            StateSerializer<UK> userKeySerializer,
            StateSerializer<UV> valueSerializer) {
        return new HeapMapState<>(this, newTable(index), name);
    }

    @Override
    protected <N> InternalLongState<N> createLongState(
            int index, String name, StateSerializer<N> namespaceSerializer, long defaultValue) {
        return new HeapLongState<>(this, newTable(index), name, defaultValue);
    }

    @Override
    protected <N> InternalDoubleState<N> createDoubleState(
            int index, String name, StateSerializer<N> namespaceSerializer, double defaultValue) {
        return new HeapDoubleState<>(this, newTable(index), name, defaultValue);
    }

    @Override
    protected SnapshotSource captureSnapshotSource() {
        List<Map<HeapStateTable.StateKey, HeapStateTable.Entry>[]> captured = new ArrayList<>(tables.size());
        for (HeapStateTable table : tables) {
            captured.add(table.capture());
        }
        int start = keyGroupRange().startKeyGroup();
        return (stateIndex, keyGroup, consumer) -> {
            for (Map.Entry<HeapStateTable.StateKey, HeapStateTable.Entry> entry :
                    captured.get(stateIndex)[keyGroup - start].entrySet()) {
                consumer.accept(entry.getKey().key(), entry.getKey().namespace(), entry.getValue().value);
            }
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void forEachEntryKey(int stateIndex, Consumer<K> sink) {
        tables.get(stateIndex).forEachKey(key -> sink.accept((K) key));
    }

    /** Number of entries (key, namespace pairs) of every state. */
    public long entryCount() {
        long count = 0;
        for (HeapStateTable table : tables) {
            count += table.size();
        }
        return count;
    }
}
