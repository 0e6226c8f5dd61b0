package io.tidemark.flink;

import io.tidemark.state.ListState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.ListSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.state.internal.InternalListState;
import org.apache.flink.util.Preconditions;

/** Flink's list state on a store list state of serialized elements: an add appends one element record. */
final class TidemarkListState<K, N, V> extends AbstractTidemarkState<K, N, List<V>, ListState<byte[]>>
        implements InternalListState<K, N, V> {
    /** Flink's separator between the elements of a serialized list (checkpoints, queryable state). */
    static final byte DELIMITER = ',';

    private TypeSerializer<V> elementSerializer;

    TidemarkListState(
            TidemarkKeyedStateBackend<K> backend,
            String name,
            ListState<byte[]> store,
            TypeSerializer<N> namespaceSerializer,
            TypeSerializer<List<V>> valueSerializer) {
        super(backend, name, store, namespaceSerializer, valueSerializer);
        this.elementSerializer = ((ListSerializer<V>) valueSerializer).getElementSerializer();
    }

    @Override
    public Iterable<V> get() {
        return getInternal();
    }

    @Override
    public void add(V value) {
        Preconditions.checkNotNull(value, "You cannot add null to a ListState.");
        bind();
        store.add(serialize(value, elementSerializer));
    }

    @Override
    public List<V> getInternal() {
        bind();
        List<byte[]> elements = elements();
        if (elements.isEmpty()) {
            return null;
        }
        List<V> values = new ArrayList<>(elements.size());
        for (byte[] element : elements) {
            values.add(deserialize(element, elementSerializer));
        }
        return values;
    }

    @Override
    public void updateInternal(List<V> values) {
        update(values);
    }

    @Override
    public void update(List<V> values) {
        Preconditions.checkNotNull(values, "List of values to update cannot be null.");
        List<byte[]> serialized = serializeAll(values);
        bind();
        store.update(serialized);
    }

    @Override
    public void addAll(List<V> values) {
        Preconditions.checkNotNull(values, "List of values to add cannot be null.");
        if (values.isEmpty()) {
            return;
        }
        List<byte[]> serialized = serializeAll(values);
        bind();
        store.addAll(serialized);
    }

    private List<byte[]> serializeAll(List<V> values) {
        List<byte[]> serialized = new ArrayList<>(values.size());
        for (V value : values) {
            Preconditions.checkNotNull(value, "You cannot add null to a ListState.");
            serialized.add(serialize(value, elementSerializer));
        }
        return serialized;
    }

    /** The bound namespace's elements, serialized; empty when there are none. */
    private List<byte[]> elements() {
        Iterable<byte[]> stored = store.get();
        List<byte[]> elements = new ArrayList<>();
        if (stored != null) {
            stored.forEach(elements::add);
        }
        return elements;
    }

    @Override
    public void mergeNamespaces(N target, Collection<N> sources) {
        if (sources == null || sources.isEmpty()) {
            return;
        }
        List<byte[]> merged = new ArrayList<>();
        for (N source : sources) {
            setCurrentNamespace(source);
            bind();
            List<byte[]> elements = elements();
            if (!elements.isEmpty()) {
                merged.addAll(elements);
                store.clear();
            }
        }
        setCurrentNamespace(target);
        if (!merged.isEmpty()) {
            bind();
            store.addAll(merged);
        }
    }

    @Override
    byte[] serializedValue(TypeSerializer<List<V>> safeValueSerializer) {
        List<byte[]> elements = elements();
        return elements.isEmpty() ? null : delimited(elements);
    }

    /** Flink's delimited form of a list: the serialized elements with {@link #DELIMITER} between them. */
    static byte[] delimited(List<byte[]> elements) {
        int length = Math.max(0, elements.size() - 1);
        for (byte[] element : elements) {
            length += element.length;
        }
        DataOutputSerializer out = new DataOutputSerializer(length);
        try {
            for (int i = 0; i < elements.size(); i++) {
                if (i > 0) {
                    out.write(DELIMITER);
                }
                out.write(elements.get(i));
            }
        } catch (java.io.IOException e) {
            throw new TidemarkStateException("cannot join " + elements.size() + " list elements", e);
        }
        return out.getCopyOfBuffer();
    }
}
