package io.tidemark.backend.internal;

import io.tidemark.backend.NamespacedState;
import io.tidemark.serialization.DoubleSerializer;
import io.tidemark.serialization.ListSerializer;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.serialization.MapSerializer;
import io.tidemark.serialization.StateSerializer;
import io.tidemark.state.AggregatingStateDescriptor;
import io.tidemark.state.DoubleValueStateDescriptor;
import io.tidemark.state.LongValueStateDescriptor;
import io.tidemark.state.MapStateDescriptor;
import io.tidemark.state.ReducingStateDescriptor;
import io.tidemark.state.State;
import io.tidemark.state.StateDescriptor;
import io.tidemark.state.StateTtlConfig;
import io.tidemark.state.StateType;
import io.tidemark.state.ValueStateDescriptor;
import io.tidemark.state.ttl.TtlValue;
import io.tidemark.state.ttl.TtlValueSerializer;

/**
 * Builds a registered state from a descriptor: picks the backend's internal storage shape, wraps TTL around it, and
 * composes reducing, aggregating and the TTL variants of the primitive states over a value cell.
 */
final class StateComposer {
    private StateComposer() {}

    /** How a state of {@code type} is stored by a backend. */
    static StateType storageShape(StateType type, boolean ttl) {
        return switch (type) {
            case LIST -> StateType.LIST;
            case MAP -> StateType.MAP;
            case LONG_VALUE -> ttl ? StateType.VALUE : StateType.LONG_VALUE;
            case DOUBLE_VALUE -> ttl ? StateType.VALUE : StateType.DOUBLE_VALUE;
            default -> StateType.VALUE;
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static <K, N> RegisteredKeyedState compose(
            AbstractKeyedStateBackend<K> backend,
            int index,
            StateSerializer<N> namespaceSerializer,
            StateDescriptor<?, ?> descriptor) {
        String name = descriptor.name();
        StateTtlConfig ttl = descriptor.ttlConfig();
        TtlTime time = backend.ttlTime();
        StateSerializer<Object> element = (StateSerializer<Object>) descriptor.serializer();
        StateSerializer stored = ttl == null ? element : new TtlValueSerializer<>(element);
        NamespacedState internal;
        State user;
        StateSerializer canonical;
        switch (descriptor.type()) {
            case LIST -> {
                InternalListState list = backend.newListState(index, name, namespaceSerializer, stored);
                internal = list;
                user = ttl == null ? list : new TtlListState<>(list, ttl, time);
                canonical = new ListSerializer<>(stored);
            }
            case MAP -> {
                StateSerializer<Object> userKey =
                        (StateSerializer<Object>) ((MapStateDescriptor<?, ?>) descriptor).userKeySerializer();
                InternalMapState map = backend.newMapState(index, name, namespaceSerializer, userKey, stored);
                internal = map;
                user = ttl == null ? map : new TtlMapState<>(map, ttl, time);
                canonical = new MapSerializer<>(userKey, stored);
            }
            case LONG_VALUE -> {
                long defaultValue = ((LongValueStateDescriptor) descriptor).defaultValue();
                if (ttl == null) {
                    InternalLongState longState = backend.newLongState(index, name, namespaceSerializer, defaultValue);
                    internal = longState;
                    user = longState;
                    canonical = LongSerializer.INSTANCE;
                } else {
                    InternalValueState value = backend.newValueState(index, name, namespaceSerializer, stored);
                    internal = value;
                    user = new CellLongState<>(new TtlValueCell<N, Long>(value, ttl, time), defaultValue);
                    canonical = stored;
                }
            }
            case DOUBLE_VALUE -> {
                double defaultValue = ((DoubleValueStateDescriptor) descriptor).defaultValue();
                if (ttl == null) {
                    InternalDoubleState doubleState =
                            backend.newDoubleState(index, name, namespaceSerializer, defaultValue);
                    internal = doubleState;
                    user = doubleState;
                    canonical = DoubleSerializer.INSTANCE;
                } else {
                    InternalValueState value = backend.newValueState(index, name, namespaceSerializer, stored);
                    internal = value;
                    user = new CellDoubleState<>(new TtlValueCell<N, Double>(value, ttl, time), defaultValue);
                    canonical = stored;
                }
            }
            default -> {
                InternalValueState value = backend.newValueState(index, name, namespaceSerializer, stored);
                internal = value;
                canonical = stored;
                ValueCell cell = ttl == null
                        ? ValueCell.plain(value)
                        : new TtlValueCell<N, Object>((InternalValueState<N, TtlValue<Object>>) value, ttl, time);
                user = switch (descriptor.type()) {
                    case REDUCING ->
                        new CellReducingState<>(cell, ((ReducingStateDescriptor) descriptor).reduceFunction());
                    case AGGREGATING ->
                        new CellAggregatingState<>(cell, ((AggregatingStateDescriptor) descriptor).aggregateFunction());
                    default ->
                        ttl == null
                                ? (State) value
                                : new CellValueState<>(cell, ((ValueStateDescriptor) descriptor).defaultValue());
                };
                if (descriptor.type() == StateType.VALUE && ttl == null) {
                    Object defaultValue = ((ValueStateDescriptor) descriptor).defaultValue();
                    user = defaultValue == null ? value : new CellValueState<>(cell, defaultValue);
                }
            }
        }
        return new RegisteredKeyedState(
                index,
                name,
                descriptor.type(),
                ttl,
                (StateSerializer<Object>) namespaceSerializer,
                canonical,
                internal,
                user);
    }
}
