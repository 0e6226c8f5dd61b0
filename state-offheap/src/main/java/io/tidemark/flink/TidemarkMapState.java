package io.tidemark.flink;

import io.tidemark.state.MapState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.MapSerializer;
import org.apache.flink.queryablestate.client.state.serialization.KvStateSerializer;
import org.apache.flink.runtime.state.internal.InternalMapState;

/**
 * Flink's map state on a store map state: user keys and values serialized by Flink's serializers, each value led by
 * a null flag byte (Flink allows null map values; the same form Flink's canonical snapshots use for map values).
 */
final class TidemarkMapState<K, N, UK, UV> extends AbstractTidemarkState<K, N, Map<UK, UV>, MapState<byte[], byte[]>>
        implements InternalMapState<K, N, UK, UV> {
    private final TypeSerializer<UK> userKeySerializer;
    private final TypeSerializer<UV> userValueSerializer;

    TidemarkMapState(
            TidemarkKeyedStateBackend<K> backend,
            String name,
            MapState<byte[], byte[]> store,
            TypeSerializer<N> namespaceSerializer,
            TypeSerializer<Map<UK, UV>> valueSerializer) {
        super(backend, name, store, namespaceSerializer, valueSerializer);
        MapSerializer<UK, UV> mapSerializer = (MapSerializer<UK, UV>) valueSerializer;
        this.userKeySerializer = mapSerializer.getKeySerializer();
        this.userValueSerializer = mapSerializer.getValueSerializer();
    }

    @Override
    public UV get(UK key) {
        bind();
        byte[] bytes = store.get(serialize(key, userKeySerializer));
        return bytes == null ? null : decodeValue(bytes);
    }

    @Override
    public void put(UK key, UV value) {
        byte[] userKey = serialize(key, userKeySerializer);
        byte[] encoded = encodeValue(value);
        bind();
        store.put(userKey, encoded);
    }

    @Override
    public void putAll(Map<UK, UV> map) {
        if (map == null) {
            return;
        }
        for (Map.Entry<UK, UV> entry : map.entrySet()) {
            put(entry.getKey(), entry.getValue());
        }
    }

    @Override
    public void remove(UK key) {
        byte[] userKey = serialize(key, userKeySerializer);
        bind();
        store.remove(userKey);
    }

    @Override
    public boolean contains(UK key) {
        byte[] userKey = serialize(key, userKeySerializer);
        bind();
        return store.contains(userKey);
    }

    @Override
    public Iterable<Map.Entry<UK, UV>> entries() {
        return () -> iterator(entry -> entry);
    }

    @Override
    public Iterable<UK> keys() {
        return () -> iterator(Map.Entry::getKey);
    }

    @Override
    public Iterable<UV> values() {
        return () -> iterator(Map.Entry::getValue);
    }

    @Override
    public Iterator<Map.Entry<UK, UV>> iterator() {
        return iterator(entry -> entry);
    }

    @Override
    public boolean isEmpty() {
        bind();
        return store.isEmpty();
    }

    @Override
    byte[] serializedValue(TypeSerializer<Map<UK, UV>> safeValueSerializer) throws Exception {
        if (store.isEmpty()) {
            return null;
        }
        MapSerializer<UK, UV> safe = (MapSerializer<UK, UV>) safeValueSerializer;
        List<Map.Entry<UK, UV>> entries = new ArrayList<>();
        for (Map.Entry<byte[], byte[]> entry : store.entries()) {
            entries.add(new java.util.AbstractMap.SimpleImmutableEntry<>(
                    deserialize(entry.getKey(), safe.getKeySerializer()),
                    decodeValue(entry.getValue(), safe.getValueSerializer())));
        }
        return KvStateSerializer.serializeMap(entries, safe.getKeySerializer(), safe.getValueSerializer());
    }

    private byte[] encodeValue(UV value) {
        out.clear();
        try {
            out.writeBoolean(value == null);
            if (value != null) {
                userValueSerializer.serialize(value, out);
            }
        } catch (java.io.IOException e) {
            throw new TidemarkStateException(
                    "cannot serialize a map value of state '" + name + "' with " + userValueSerializer, e);
        }
        return out.getCopyOfBuffer();
    }

    private UV decodeValue(byte[] bytes) {
        return decodeValue(bytes, userValueSerializer);
    }

    private UV decodeValue(byte[] bytes, TypeSerializer<UV> serializer) {
        in.setBuffer(bytes);
        try {
            return in.readBoolean() ? null : serializer.deserialize(in);
        } catch (java.io.IOException e) {
            throw new TidemarkStateException(
                    "cannot deserialize a map value of state '" + name + "' with " + serializer, e);
        }
    }

    /**
     * The entries of the current key and namespace ordered by serialized user key (unsigned bytes): the order Flink's
     * RocksDB backend iterates in, so iteration order does not depend on the store's hashing.
     */
    private List<Map.Entry<byte[], byte[]>> sortedEntries() {
        List<Map.Entry<byte[], byte[]>> entries = new ArrayList<>();
        if (!store.isEmpty()) {
            store.entries().forEach(entries::add);
            entries.sort((a, b) -> Arrays.compareUnsigned(a.getKey(), b.getKey()));
        }
        return entries;
    }

    /**
     * Iterates the entries of the current key and namespace as they are now (the store hands a snapshot); {@code
     * remove} removes the last returned user key from the store, and an entry's {@code setValue} writes through.
     */
    private <T> Iterator<T> iterator(Function<Map.Entry<UK, UV>, T> view) {
        bind();
        Iterator<Map.Entry<byte[], byte[]>> stored = sortedEntries().iterator();
        byte[] namespace = currentNamespaceBytes();
        return new Iterator<>() {
            private byte[] last;

            @Override
            public boolean hasNext() {
                return stored.hasNext();
            }

            @Override
            public T next() {
                if (!stored.hasNext()) {
                    throw new NoSuchElementException("no more entries in map state '" + name + "'");
                }
                Map.Entry<byte[], byte[]> entry = stored.next();
                last = entry.getKey();
                return view.apply(new Entry(namespace, entry.getKey(), entry.getValue()));
            }

            @Override
            public void remove() {
                if (last == null) {
                    throw new IllegalStateException("remove() without next() on map state '" + name + "'");
                }
                bindBytes(namespace);
                store.remove(last);
                last = null;
            }
        };
    }

    /** One map entry, deserialized on first access; {@code setValue} writes through to the store. */
    private final class Entry implements Map.Entry<UK, UV> {
        private final byte[] namespace;
        private final byte[] userKey;
        private byte[] value;
        private UK key;
        private boolean keyRead;

        Entry(byte[] namespace, byte[] userKey, byte[] value) {
            this.namespace = namespace;
            this.userKey = userKey;
            this.value = value;
        }

        @Override
        public UK getKey() {
            if (!keyRead) {
                key = deserialize(userKey, userKeySerializer);
                keyRead = true;
            }
            return key;
        }

        @Override
        public UV getValue() {
            return decodeValue(value);
        }

        @Override
        public UV setValue(UV newValue) {
            UV old = getValue();
            value = encodeValue(newValue);
            bindBytes(namespace);
            store.put(userKey, value);
            return old;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Map.Entry<?, ?> other)) {
                return false;
            }
            return java.util.Objects.equals(getKey(), other.getKey())
                    && java.util.Objects.equals(getValue(), other.getValue());
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hashCode(getKey()) ^ java.util.Objects.hashCode(getValue());
        }

        @Override
        public String toString() {
            return getKey() + "=" + getValue();
        }
    }
}
