package io.tidemark.backend.internal;

import io.tidemark.backend.NamespacedState;
import io.tidemark.backend.snapshot.StateMetaInfo;
import io.tidemark.serialization.StateSerializer;
import io.tidemark.state.State;
import io.tidemark.state.StateTtlConfig;
import io.tidemark.state.StateType;

/**
 * A keyed state registered with a backend: what the snapshot writes about it, the backend's internal state (holding
 * canonical values: the value, the element list, the user map, TTL-wrapped where enabled) and the state the user got.
 *
 * @param index position in the backend's state list, used as the state index in snapshots
 * @param valueSerializer the canonical serializer of one entry's stored value
 */
public record RegisteredKeyedState(
        int index,
        String name,
        StateType type,
        StateTtlConfig ttl,
        StateSerializer<Object> namespaceSerializer,
        StateSerializer<Object> valueSerializer,
        NamespacedState<Object> internal,
        State userState) {

    public StateMetaInfo metaInfo() {
        return new StateMetaInfo(name, type, ttl != null, namespaceSerializer.snapshot(), valueSerializer.snapshot());
    }
}
