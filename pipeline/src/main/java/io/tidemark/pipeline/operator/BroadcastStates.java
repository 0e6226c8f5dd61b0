package io.tidemark.pipeline.operator;

import io.tidemark.ConfigurationException;
import io.tidemark.backend.OperatorStateStore;
import io.tidemark.pipeline.function.ReadOnlyBroadcastState;
import io.tidemark.state.MapState;
import io.tidemark.state.MapStateDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The broadcast states of one instance of a broadcast process operator: one operator broadcast state per descriptor the
 * broadcast stream declared, registered (and so restored) when the operator initializes its state, each with a
 * read-only view for the non-broadcast side. A function finds them by descriptor name: a linear scan over the few
 * declared ones, no allocation. Operator thread only.
 */
final class BroadcastStates {
    private final MapStateDescriptor<?, ?>[] descriptors;
    private final MapState<?, ?>[] states;
    private final ReadOnlyView<?, ?>[] views;
    private String operator = "";

    BroadcastStates(List<MapStateDescriptor<?, ?>> declared) {
        this.descriptors = declared.toArray(new MapStateDescriptor<?, ?>[0]);
        this.states = new MapState<?, ?>[descriptors.length];
        this.views = new ReadOnlyView<?, ?>[descriptors.length];
    }

    /** Registers every declared state with {@code store} (which hands back the restored map, if any). */
    void register(OperatorStateStore store, String operatorName) {
        this.operator = operatorName;
        for (int i = 0; i < descriptors.length; i++) {
            MapState<?, ?> state = store.getBroadcastState(descriptors[i]);
            states[i] = state;
            views[i] = new ReadOnlyView<>(state);
        }
    }

    /** The state of {@code descriptor}, read and write. */
    @SuppressWarnings("unchecked")
    <K, V> MapState<K, V> writable(MapStateDescriptor<K, V> descriptor) {
        return (MapState<K, V>) states[indexOf(descriptor)];
    }

    /** The state of {@code descriptor}, read only. */
    @SuppressWarnings("unchecked")
    <K, V> ReadOnlyBroadcastState<K, V> readOnly(MapStateDescriptor<K, V> descriptor) {
        return (ReadOnlyBroadcastState<K, V>) views[indexOf(descriptor)];
    }

    private int indexOf(MapStateDescriptor<?, ?> descriptor) {
        for (int i = 0; i < descriptors.length; i++) {
            if (descriptors[i] == descriptor || descriptors[i].name().equals(descriptor.name())) {
                return i;
            }
        }
        List<String> names = new ArrayList<>();
        for (MapStateDescriptor<?, ?> declared : descriptors) {
            names.add(declared.name());
        }
        throw new ConfigurationException("broadcast state not declared by the broadcast stream: state="
                + descriptor.name() + ", operator=" + operator + ", declared=" + names);
    }

    /** A broadcast state seen through the read-only interface. */
    private static final class ReadOnlyView<K, V> implements ReadOnlyBroadcastState<K, V> {
        private final MapState<K, V> state;

        ReadOnlyView(MapState<K, V> state) {
            this.state = state;
        }

        @Override
        public V get(K key) {
            return state.get(key);
        }

        @Override
        public boolean contains(K key) {
            return state.contains(key);
        }

        @Override
        public Iterable<Map.Entry<K, V>> entries() {
            return state.entries();
        }

        @Override
        public boolean isEmpty() {
            return state.isEmpty();
        }
    }
}
