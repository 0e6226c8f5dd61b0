package io.tidemark.flink;

import io.tidemark.state.ListState;
import io.tidemark.state.MapState;
import io.tidemark.state.State;
import io.tidemark.state.ValueState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.ListSerializer;
import org.apache.flink.api.common.typeutils.base.MapSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.state.ttl.TtlAwareSerializer;
import org.apache.flink.runtime.state.ttl.TtlTimeProvider;

/**
 * Re-serializes one state's entries from an old serializer's bytes to a new one's, for a restored state whose new
 * serializer is compatible only after migration. Works on the store state's current key and namespace.
 */
final class StateMigration {
    private final String name;
    private final State store;
    private final TypeSerializer<Object> previous;
    private final TypeSerializer<Object> current;
    private final TtlTimeProvider time;
    private final DataOutputSerializer out = new DataOutputSerializer(128);
    private final DataInputDeserializer in = new DataInputDeserializer();

    @SuppressWarnings("unchecked")
    StateMigration(
            String name, State store, TypeSerializer<?> previous, TypeSerializer<?> current, TtlTimeProvider time) {
        this.name = name;
        this.time = time;
        this.store = store;
        this.previous = (TypeSerializer<Object>) previous;
        this.current = (TypeSerializer<Object>) current;
    }

    /** Migrates the entry of the store state's current key and namespace. */
    @SuppressWarnings("unchecked")
    void migrateCurrent() throws IOException {
        if (store instanceof ValueState<?> value) {
            byte[] bytes = (byte[]) value.value();
            if (bytes != null) {
                ((ValueState<byte[]>) value).update(convert(bytes, previous, current));
            }
        } else if (store instanceof ListState<?> list) {
            TypeSerializer<Object> from =
                    ((ListSerializer<Object>) (TypeSerializer<?>) previous).getElementSerializer();
            TypeSerializer<Object> to = ((ListSerializer<Object>) (TypeSerializer<?>) current).getElementSerializer();
            List<byte[]> elements = new ArrayList<>();
            Iterable<byte[]> stored = ((ListState<byte[]>) list).get();
            if (stored != null) {
                for (byte[] element : stored) {
                    elements.add(convert(element, from, to));
                }
                ((ListState<byte[]>) list).update(elements);
            }
        } else {
            migrateMap((MapState<byte[], byte[]>) store);
        }
    }

    @SuppressWarnings("unchecked")
    private void migrateMap(MapState<byte[], byte[]> map) throws IOException {
        MapSerializer<Object, Object> from = (MapSerializer<Object, Object>) (TypeSerializer<?>) previous;
        MapSerializer<Object, Object> to = (MapSerializer<Object, Object>) (TypeSerializer<?>) current;
        List<Map.Entry<byte[], byte[]>> entries = new ArrayList<>();
        map.entries().forEach(entries::add);
        for (Map.Entry<byte[], byte[]> entry : entries) {
            byte[] key = convert(entry.getKey(), from.getKeySerializer(), to.getKeySerializer());
            byte[] value = convertNullable(entry.getValue(), from.getValueSerializer(), to.getValueSerializer());
            if (!Arrays.equals(key, entry.getKey())) {
                map.remove(entry.getKey());
            }
            map.put(key, value);
        }
    }

    /**
     * One value from {@code from}'s bytes to {@code to}'s: through Flink's TTL-aware serializers, which also wrap or
     * unwrap the TTL timestamp when TTL was switched on or off for the state.
     */
    @SuppressWarnings("unchecked")
    private byte[] convert(byte[] bytes, TypeSerializer<Object> from, TypeSerializer<Object> to) throws IOException {
        TtlAwareSerializer<Object, ?> prior =
                (TtlAwareSerializer<Object, ?>) TtlAwareSerializer.wrapTtlAwareSerializer(from);
        TtlAwareSerializer<Object, ?> next =
                (TtlAwareSerializer<Object, ?>) TtlAwareSerializer.wrapTtlAwareSerializer(to);
        in.setBuffer(bytes);
        out.clear();
        next.migrateValueFromPriorSerializer(prior, () -> prior.deserialize(in), out, time);
        return out.getCopyOfBuffer();
    }

    /** A map value: a null flag, then the value unless null. */
    private byte[] convertNullable(byte[] bytes, TypeSerializer<Object> from, TypeSerializer<Object> to)
            throws IOException {
        if (bytes[0] != 0) {
            return bytes; // a null value
        }
        byte[] value = convert(Arrays.copyOfRange(bytes, 1, bytes.length), from, to);
        byte[] flagged = new byte[value.length + 1];
        System.arraycopy(value, 0, flagged, 1, value.length);
        return flagged;
    }

    @Override
    public String toString() {
        return "StateMigration[" + name + "]";
    }
}
