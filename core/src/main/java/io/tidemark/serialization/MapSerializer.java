package io.tidemark.serialization;

import io.tidemark.SerializationException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Serializes a {@code Map<K, V>} as an entry count followed by key, value pairs in the map's iteration order, each
 * framed as {@link Framing} says. Keys and values must not be null; duplicate keys in the bytes are corrupt.
 *
 * <pre>
 * | count: int32 LE | key 0 | value 0 | key 1 | value 1 | ... |
 * key, value = bytes (fixed length) or | length: int32 LE | bytes |
 * </pre>
 *
 * <p>{@link #read} returns a new {@link LinkedHashMap} in stored order; {@link #copy} deep-copies keys and values.
 * Thread-safe when both nested serializers are stateless. {@link #write} allocates an iterator.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class MapSerializer<K, V> implements StateSerializer<Map<K, V>> {
    private final StateSerializer<K> keySerializer;
    private final StateSerializer<V> valueSerializer;

    public MapSerializer(StateSerializer<K> keySerializer, StateSerializer<V> valueSerializer) {
        this.keySerializer = keySerializer;
        this.valueSerializer = valueSerializer;
    }

    public StateSerializer<K> keySerializer() {
        return keySerializer;
    }

    public StateSerializer<V> valueSerializer() {
        return valueSerializer;
    }

    @Override
    public int fixedLength() {
        return VARIABLE_LENGTH;
    }

    @Override
    public int write(Map<K, V> value, MutableDirectBuffer buffer, int offset) {
        int position = Framing.writeCount(value.size(), buffer, offset);
        for (Map.Entry<K, V> entry : value.entrySet()) {
            K key = entry.getKey();
            V element = entry.getValue();
            if (key == null || element == null) {
                throw new NullPointerException("map keys and values must not be null: key=" + key);
            }
            position = Framing.writeElement(keySerializer, key, buffer, position);
            position = Framing.writeElement(valueSerializer, element, buffer, position);
        }
        return position - offset;
    }

    @Override
    public Map<K, V> read(DirectBuffer buffer, int offset, int length) {
        ReadCursor cursor = new ReadCursor("map", buffer, offset, length);
        int count = cursor.readCount(Framing.minFramedLength(keySerializer) + Framing.minFramedLength(valueSerializer));
        Map<K, V> map = new LinkedHashMap<>(capacityFor(count));
        for (int i = 0; i < count; i++) {
            K key = cursor.readElement(keySerializer);
            V element = cursor.readElement(valueSerializer);
            if (map.putIfAbsent(key, element) != null) {
                throw new SerializationException("map: duplicate key: index=" + i);
            }
        }
        cursor.checkFullyConsumed();
        return map;
    }

    @Override
    public Map<K, V> copy(Map<K, V> value) {
        Map<K, V> copy = new LinkedHashMap<>(capacityFor(value.size()));
        for (Map.Entry<K, V> entry : value.entrySet()) {
            copy.put(keySerializer.copy(entry.getKey()), valueSerializer.copy(entry.getValue()));
        }
        return copy;
    }

    @Override
    public SerializerSnapshot<Map<K, V>> snapshot() {
        return new MapSnapshot<>(keySerializer.snapshot(), valueSerializer.snapshot());
    }

    @Override
    public boolean isStateless() {
        return keySerializer.isStateless() && valueSerializer.isStateless();
    }

    @Override
    public StateSerializer<Map<K, V>> duplicate() {
        return isStateless() ? this : new MapSerializer<>(keySerializer.duplicate(), valueSerializer.duplicate());
    }

    @Override
    public String toString() {
        return "MapSerializer[" + keySerializer + ", " + valueSerializer + "]";
    }

    private static int capacityFor(int entries) {
        return (int) Math.min(Integer.MAX_VALUE, entries * 4L / 3 + 1);
    }
}
