package io.tidemark.state.offheap;

import io.tidemark.backend.internal.InternalListState;
import io.tidemark.serialization.ListSerializer;
import io.tidemark.serialization.StateSerializer;
import java.nio.ByteOrder;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * List state: one record per (key, namespace) whose value is the canonical {@link ListSerializer} form
 * ({@code count | element...}), so that snapshots copy it as is. {@link #add} appends the framed element to a copy of
 * the bytes without deserializing the list; the record is rewritten in place when it fits its capacity.
 */
final class OffHeapListState<N, T> extends OffHeapState<N> implements InternalListState<N, T> {
    private static final int COUNT_LENGTH = Integer.BYTES;

    private final StateSerializer<T> elementSerializer;
    private final ListSerializer<T> listSerializer;

    OffHeapListState(
            OffHeapKeyedStateBackend<?> backend,
            StateTables tables,
            StateSerializer<N> namespaceSerializer,
            StateSerializer<T> elementSerializer) {
        super(backend, tables, namespaceSerializer);
        this.elementSerializer = elementSerializer;
        this.listSerializer = new ListSerializer<>(elementSerializer);
    }

    @Override
    public Iterable<T> get() {
        check();
        final int length = tables.readValue(this, backend.readScratch);
        return length < 0
                ? Collections.emptyList()
                : Collections.unmodifiableList(listSerializer.read(backend.readScratch, 0, length));
    }

    @Override
    public void add(T value) {
        Objects.requireNonNull(value, "list state element");
        check();
        int position = beginAppend();
        position = appendElement(value, position, 1);
        tables.putValue(this, backend.writeScratch, position);
    }

    @Override
    public void addAll(List<T> values) {
        if (values == null || values.isEmpty()) {
            return;
        }
        for (T value : values) {
            Objects.requireNonNull(value, "list state element");
        }
        check();
        int position = beginAppend();
        for (T value : values) {
            position = appendElement(value, position, 1);
        }
        tables.putValue(this, backend.writeScratch, position);
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
        check();
        final int length = listSerializer.write(values, backend.writeScratch, 0);
        tables.putValue(this, backend.writeScratch, length);
    }

    /** Copies the current list bytes (or an empty list) into the write scratch; returns the end position. */
    private int beginAppend() {
        final int length = tables.readValue(this, backend.readScratch);
        if (length < 0) {
            backend.writeScratch.putInt(0, 0, ByteOrder.LITTLE_ENDIAN);
            return COUNT_LENGTH;
        }
        backend.writeScratch.putBytes(0, backend.readScratch, 0, length);
        return length;
    }

    private int appendElement(T value, int position, int countDelta) {
        final int fixed = elementSerializer.fixedLength();
        final int end;
        if (fixed != StateSerializer.VARIABLE_LENGTH) {
            end = position + elementSerializer.write(value, backend.writeScratch, position);
        } else {
            final int written = elementSerializer.write(value, backend.writeScratch, position + Integer.BYTES);
            backend.writeScratch.putInt(position, written, ByteOrder.LITTLE_ENDIAN);
            end = position + Integer.BYTES + written;
        }
        final int count = backend.writeScratch.getInt(0, ByteOrder.LITTLE_ENDIAN);
        backend.writeScratch.putInt(0, count + countDelta, ByteOrder.LITTLE_ENDIAN);
        return end;
    }
}
