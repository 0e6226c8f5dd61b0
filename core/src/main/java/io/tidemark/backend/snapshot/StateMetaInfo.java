package io.tidemark.backend.snapshot;

import io.tidemark.SerializationException;
import io.tidemark.serialization.SerializerSnapshot;
import io.tidemark.serialization.SerializerSnapshots;
import io.tidemark.state.StateType;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * What a snapshot records about one keyed state: its name, declared shape, whether TTL wraps its values, and the
 * snapshots of its namespace serializer and of its stored-value serializer (the canonical serializer of one entry's
 * value: the value, the element list, or the user-key/value map, TTL-wrapped where enabled).
 */
public record StateMetaInfo(
        String name,
        StateType type,
        boolean ttl,
        SerializerSnapshot<?> namespaceSerializer,
        SerializerSnapshot<?> valueSerializer) {

    private static final int VERSION = 1;

    public void write(DataOutput out) throws IOException {
        out.writeByte(VERSION);
        out.writeUTF(name);
        out.writeByte(type.ordinal());
        out.writeBoolean(ttl);
        SerializerSnapshots.write(namespaceSerializer, out);
        SerializerSnapshots.write(valueSerializer, out);
    }

    public static StateMetaInfo read(DataInput in, ClassLoader classLoader) throws IOException {
        int version = in.readByte();
        if (version != VERSION) {
            throw new SerializationException(
                    "state meta info version not supported: version=" + version + ", supported=" + VERSION);
        }
        String name = in.readUTF();
        int typeOrdinal = in.readByte();
        StateType[] types = StateType.values();
        if (typeOrdinal < 0 || typeOrdinal >= types.length) {
            throw new SerializationException(
                    "state meta info has an unknown state type: state=" + name + ", type=" + typeOrdinal);
        }
        boolean ttl = in.readBoolean();
        SerializerSnapshot<?> namespace = SerializerSnapshots.read(in, classLoader);
        SerializerSnapshot<?> value = SerializerSnapshots.read(in, classLoader);
        return new StateMetaInfo(name, types[typeOrdinal], ttl, namespace, value);
    }
}
