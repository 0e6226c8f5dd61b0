package io.tidemark.state.chronicle;

import io.tidemark.backend.internal.InternalListState;
import io.tidemark.serialization.ListSerializer;
import io.tidemark.serialization.StateSerializer;
import java.nio.ByteOrder;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * List state in a Chronicle Map: the whole list per key and namespace, in {@link ListSerializer}'s format. Appending
 * works on the bytes (count bumped, framed elements added at the end) without decoding the list, but still rewrites the
 * entry: O(list bytes) per {@link #add}.
 *
 * <pre>
 * | count: int32 LE | element | element | ...     element: bare if fixed-length, else | length: int32 LE | bytes |
 * </pre>
 */
final class ChronicleListState<N, T> extends AbstractChronicleState<N> implements InternalListState<N, T> {
    private static final int COUNT_LENGTH = Integer.BYTES;

    private final StateSerializer<T> elementSerializer;
    private final ListSerializer<T> listSerializer;
    private final ExpandableArrayBuffer appended = new ExpandableArrayBuffer(64);
    private final UnsafeBuffer access = new UnsafeBuffer(new byte[0]);

    ChronicleListState(
            ChronicleKeyedStateBackend<?> backend,
            StateMapFile map,
            String name,
            StateSerializer<N> namespaceSerializer,
            StateSerializer<T> elementSerializer) {
        super(backend, map, name, namespaceSerializer);
        this.elementSerializer = elementSerializer;
        this.listSerializer = new ListSerializer<>(elementSerializer);
    }

    @Override
    public Iterable<T> get() {
        byte[] bytes = storedBytes();
        return bytes == null ? Collections.emptyList() : Collections.unmodifiableList(read(listSerializer, bytes));
    }

    @Override
    public void add(T value) {
        Objects.requireNonNull(value, "list state element");
        int length = frame(value, 0);
        append(1, length);
    }

    @Override
    public void update(List<T> values) {
        if (values == null || values.isEmpty()) {
            clear();
            return;
        }
        for (T value : values) {
            Objects.requireNonNull(value, "list state element");
        }
        storeBytes(serialize(listSerializer, values));
    }

    @Override
    public void addAll(List<T> values) {
        if (values == null || values.isEmpty()) {
            return;
        }
        int length = 0;
        for (T value : values) {
            length = frame(Objects.requireNonNull(value, "list state element"), length);
        }
        append(values.size(), length);
    }

    /**
     * Concatenates the stored bytes: the target's entry becomes its elements followed by each source's (counts added,
     * no element decoded), written once; the sources' entries are removed.
     */
    @Override
    public void mergeNamespaces(N target, Collection<N> sources) {
        Objects.requireNonNull(target, "merge target namespace");
        final N current = namespace;
        try {
            int count = 0;
            int length = 0;
            for (N source : sources) {
                if (target.equals(source)) {
                    continue;
                }
                setCurrentNamespace(source);
                byte[] bytes = storedBytes();
                if (bytes == null) {
                    continue;
                }
                access.wrap(bytes);
                count += access.getInt(0, ByteOrder.LITTLE_ENDIAN);
                appended.putBytes(length, bytes, COUNT_LENGTH, bytes.length - COUNT_LENGTH);
                length += bytes.length - COUNT_LENGTH;
                clear();
            }
            if (count > 0) {
                setCurrentNamespace(target);
                append(count, length);
            }
        } finally {
            setCurrentNamespace(current);
        }
    }

    /** Writes {@code value} framed into {@code appended} at {@code position}; returns the position after it. */
    private int frame(T value, int position) {
        if (elementSerializer.fixedLength() != StateSerializer.VARIABLE_LENGTH) {
            return position + elementSerializer.write(value, appended, position);
        }
        int written = elementSerializer.write(value, appended, position + Integer.BYTES);
        appended.putInt(position, written, ByteOrder.LITTLE_ENDIAN);
        return position + Integer.BYTES + written;
    }

    private void append(int count, int length) {
        byte[] old = storedBytes();
        int oldLength = old == null ? COUNT_LENGTH : old.length;
        byte[] bytes = new byte[oldLength + length];
        access.wrap(bytes);
        if (old == null) {
            access.putInt(0, count, ByteOrder.LITTLE_ENDIAN);
        } else {
            System.arraycopy(old, 0, bytes, 0, old.length);
            access.putInt(0, access.getInt(0, ByteOrder.LITTLE_ENDIAN) + count, ByteOrder.LITTLE_ENDIAN);
        }
        appended.getBytes(0, bytes, oldLength, length);
        storeBytes(bytes);
    }
}
