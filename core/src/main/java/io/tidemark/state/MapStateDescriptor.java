package io.tidemark.state;

import io.tidemark.ConfigurationException;
import io.tidemark.serialization.StateSerializer;

/** Describes a {@link MapState}; {@link #serializer()} is the value serializer. */
public final class MapStateDescriptor<UK, UV> extends StateDescriptor<MapState<UK, UV>, UV> {
    private final StateSerializer<UK> userKeySerializer;

    public MapStateDescriptor(String name, StateSerializer<UK> userKeySerializer, StateSerializer<UV> valueSerializer) {
        super(name, valueSerializer);
        if (userKeySerializer == null) {
            throw new ConfigurationException("map state user-key serializer missing: state=" + name);
        }
        this.userKeySerializer = userKeySerializer;
    }

    public StateSerializer<UK> userKeySerializer() {
        return userKeySerializer;
    }

    @Override
    public StateType type() {
        return StateType.MAP;
    }
}
