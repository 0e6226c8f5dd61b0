package io.tidemark.state.offheap;

import io.tidemark.backend.internal.InternalListState;
import io.tidemark.serialization.ListSerializer;
import io.tidemark.serialization.StateSerializer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

/**
 * List state in the log: a list is a chain of chunk records, newest first, from the list's index entry; each chunk's
 * value is the canonical {@link ListSerializer} form of its elements ({@code count | element...}). {@link #add} writes
 * the framed element after the last one in the head chunk when that chunk is in the mutable region and has room
 * (chunks get geometric capacity), otherwise appends a new chunk linked to the old head: nothing is rewritten.
 * {@link #get} walks the chain and decodes oldest first; a walk over many chunks consolidates them into one. See
 * {@code docs/spec/hybrid-log.md} §5.4.
 *
 * <p>Owner thread. {@link #add} allocates nothing but what the element serializer does; {@link #get} builds the list.
 */
final class OffHeapListState<N, T> extends OffHeapState<N> implements InternalListState<N, T> {
    private static final int COUNT_LENGTH = Integer.BYTES;
    private static final int MIN_CHUNK = 64;
    /** A read that walked more chunks than this, some below the read-only marker, rewrites the list as one chunk. */
    private static final int CONSOLIDATE_CHUNKS = 8;

    private final StateSerializer<T> elementSerializer;
    private final ListSerializer<T> listSerializer;
    private long[] chunks = new long[16];

    OffHeapListState(
            OffHeapKeyedStateBackend<?> backend,
            StateTables tables,
            StateSerializer<N> namespaceSerializer,
            StateSerializer<T> elementSerializer) {
        super(backend, tables, namespaceSerializer);
        this.elementSerializer = elementSerializer;
        this.listSerializer = new ListSerializer<>(elementSerializer);
    }

    private long pk() {
        return LogStore.pkHash(recordHash(), tables.logStateId);
    }

    @Override
    public Iterable<T> get() {
        check();
        final int length = readList(backend.readScratch);
        return length < 0
                ? Collections.emptyList()
                : Collections.unmodifiableList(listSerializer.read(backend.readScratch, 0, length));
    }

    /** The whole list in canonical form into {@code target} at 0; its length, or -1 when there is no list. */
    private int readList(MutableDirectBuffer target) {
        final LogStore logs = backend.logs();
        final long head = logs.find(this, pk(), null, 0);
        if (head == 0) {
            return -1;
        }
        int n = 0;
        boolean frozen = false;
        final long begin = logs.log.begin();
        for (long a = head; a != 0 && a >= begin; a = LogRecord.link(logs.raw(a))) {
            if (n == chunks.length) {
                chunks = Arrays.copyOf(chunks, n * 2);
            }
            chunks[n++] = a;
            frozen |= !logs.mutable(a);
        }
        int count = 0;
        int position = COUNT_LENGTH;
        for (int i = n - 1; i >= 0; i--) {
            final int length = logs.copyValue(chunks[i], target, position);
            count += target.getInt(position, ByteOrder.LITTLE_ENDIAN);
            // drop the chunk's own count: elements follow each other
            target.putBytes(position, target, position + COUNT_LENGTH, length - COUNT_LENGTH);
            position += length - COUNT_LENGTH;
        }
        target.putInt(0, count, ByteOrder.LITTLE_ENDIAN);
        if (n > CONSOLIDATE_CHUNKS && frozen) {
            writeList(target, position);
        }
        return position;
    }

    @Override
    public void add(T value) {
        Objects.requireNonNull(value, "list state element");
        check();
        backend.writeScratch.putInt(0, 1, ByteOrder.LITTLE_ENDIAN);
        append(appendElement(value, COUNT_LENGTH));
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
        int position = COUNT_LENGTH;
        for (T value : values) {
            position = appendElement(value, position);
        }
        backend.writeScratch.putInt(0, values.size(), ByteOrder.LITTLE_ENDIAN);
        append(position);
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
        writeList(backend.writeScratch, listSerializer.write(values, backend.writeScratch, 0));
    }

    /** Replaces the list by one chunk holding {@code chunk} ({@code count | elements}, {@code length} bytes). */
    private void writeList(DirectBuffer chunk, int length) {
        backend.checkSizes(name, backend.keyLength + namespaceLength, length);
        final LogStore logs = backend.logs();
        logs.reserve(1);
        final long hash = pk();
        final long old = logs.find(this, hash, null, 0);
        final long slot = old == 0 ? -1 : logs.slot;
        if (old != 0) {
            logs.deadChain(old);
        }
        final long at = logs.append(
                LogRecord.LIST_CHUNK | LogRecord.LINK | tables.recordFlags, this, null, 0, chunk, 0, length, length, 0);
        logs.setEntry(slot, hash, false, at);
    }

    /**
     * Adds the elements framed in the write scratch ({@code count | elements}, {@code length} bytes): in place into the
     * head chunk when it is mutable and has room, else as a new chunk linked to the head.
     */
    private void append(int length) {
        final LogStore logs = backend.logs();
        logs.reserve(1);
        final long hash = pk();
        final long head = logs.find(this, hash, null, 0);
        final long slot = head == 0 ? -1 : logs.slot;
        final int added = length - COUNT_LENGTH;
        int previous = 0;
        if (head != 0) {
            final long raw = logs.raw(head);
            previous = LogRecord.valueLength(raw);
            if (logs.mutable(head) && previous + added <= LogRecord.valueCapacity(raw)) {
                final long w = logs.writable(head);
                final long value = w + LogRecord.valueOffset(w);
                UnsafeApi.putInt(
                        value, UnsafeApi.getInt(value) + backend.writeScratch.getInt(0, ByteOrder.LITTLE_ENDIAN));
                UnsafeApi.copyMemory(
                        backend.writeScratch.byteArray(),
                        backend.writeScratch.addressOffset() + COUNT_LENGTH,
                        null,
                        value + previous,
                        added);
                LogRecord.setValueLength(w, previous + added);
                if ((tables.recordFlags & LogRecord.TTL) != 0) {
                    logs.noteTtl(head, true, tables.valueFixed, backend.writeScratch, 0, length);
                }
                return;
            }
        }
        backend.checkSizes(name, backend.keyLength + namespaceLength, length);
        final int capacity = Math.max(length, Math.min(Math.max(MIN_CHUNK, 2 * previous), logs.log.pageSize / 4));
        final long at = logs.append(
                LogRecord.LIST_CHUNK | LogRecord.LINK | tables.recordFlags,
                this,
                null,
                0,
                backend.writeScratch,
                0,
                length,
                capacity,
                head);
        logs.setEntry(slot, hash, false, at);
    }

    /**
     * Moves each source's list, as stored bytes (no element is decoded), to the end of the target's: the source's
     * chunks are read into one {@code count | elements} block, the source is removed and the block is added to the
     * target as {@link #addAll} adds elements (into its mutable head chunk when it has room, else as a new chunk).
     */
    @Override
    public void mergeNamespaces(N target, Collection<N> sources) {
        Objects.requireNonNull(target, "merge target namespace");
        final N current = namespace;
        try {
            for (N source : sources) {
                if (target.equals(source)) {
                    continue;
                }
                setCurrentNamespace(source);
                check();
                final int length = readList(backend.writeScratch);
                if (length < 0) {
                    continue;
                }
                tables.remove(this);
                setCurrentNamespace(target);
                check();
                append(length);
            }
        } finally {
            setCurrentNamespace(current);
        }
    }

    private int appendElement(T value, int position) {
        if (elementSerializer.fixedLength() != StateSerializer.VARIABLE_LENGTH) {
            return position + elementSerializer.write(value, backend.writeScratch, position);
        }
        final int written = elementSerializer.write(value, backend.writeScratch, position + Integer.BYTES);
        backend.writeScratch.putInt(position, written, ByteOrder.LITTLE_ENDIAN);
        return position + Integer.BYTES + written;
    }
}
