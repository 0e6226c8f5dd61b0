package io.tidemark.state.ttl;

import io.tidemark.SerializationException;
import io.tidemark.serialization.SchemaCompatibility;
import io.tidemark.serialization.SerializerSnapshot;
import io.tidemark.serialization.SerializerSnapshots;
import io.tidemark.serialization.StateSerializer;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Serializes {@link TtlValue}: an 8-byte little-endian timestamp followed by the inner value's bytes.
 *
 * <pre>
 *   0               8
 *   +---------------+------------------------+
 *   | timestamp i64 | value (inner format)   |
 *   +---------------+------------------------+
 * </pre>
 */
public final class TtlValueSerializer<T> implements StateSerializer<TtlValue<T>> {
    public static final int TIMESTAMP_LENGTH = 8;

    private final StateSerializer<T> inner;

    public TtlValueSerializer(StateSerializer<T> inner) {
        this.inner = inner;
    }

    public StateSerializer<T> inner() {
        return inner;
    }

    @Override
    public int fixedLength() {
        int innerLength = inner.fixedLength();
        return innerLength == VARIABLE_LENGTH ? VARIABLE_LENGTH : innerLength + TIMESTAMP_LENGTH;
    }

    @Override
    public int write(TtlValue<T> value, MutableDirectBuffer buffer, int offset) {
        buffer.putLong(offset, value.timestamp(), ByteOrder.LITTLE_ENDIAN);
        return TIMESTAMP_LENGTH + inner.write(value.value(), buffer, offset + TIMESTAMP_LENGTH);
    }

    @Override
    public TtlValue<T> read(DirectBuffer buffer, int offset, int length) {
        if (length < TIMESTAMP_LENGTH) {
            throw new SerializationException("TTL value too short: length=" + length + ", minimum=" + TIMESTAMP_LENGTH);
        }
        long timestamp = buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN);
        return new TtlValue<>(inner.read(buffer, offset + TIMESTAMP_LENGTH, length - TIMESTAMP_LENGTH), timestamp);
    }

    @Override
    public boolean isStateless() {
        return inner.isStateless();
    }

    @Override
    public StateSerializer<TtlValue<T>> duplicate() {
        return inner.isStateless() ? this : new TtlValueSerializer<>(inner.duplicate());
    }

    @Override
    public TtlValue<T> copy(TtlValue<T> value) {
        T copied = inner.copy(value.value());
        return copied == value.value() ? value : new TtlValue<>(copied, value.timestamp());
    }

    @Override
    public SerializerSnapshot<TtlValue<T>> snapshot() {
        return new Snapshot<>(inner.snapshot());
    }

    /** Snapshot: the inner serializer's snapshot. */
    public static final class Snapshot<T> implements SerializerSnapshot<TtlValue<T>> {
        private SerializerSnapshot<T> inner;

        public Snapshot() {}

        Snapshot(SerializerSnapshot<T> inner) {
            this.inner = inner;
        }

        @Override
        public int currentVersion() {
            return 1;
        }

        @Override
        public void writeSnapshot(DataOutput out) throws IOException {
            SerializerSnapshots.write(inner, out);
        }

        @Override
        public void readSnapshot(int readVersion, DataInput in, ClassLoader classLoader) throws IOException {
            inner = SerializerSnapshots.read(in, classLoader);
        }

        @Override
        public StateSerializer<TtlValue<T>> restoreSerializer() {
            return new TtlValueSerializer<>(inner.restoreSerializer());
        }

        @Override
        public SchemaCompatibility resolveCompatibility(StateSerializer<TtlValue<T>> newSerializer) {
            if (!(newSerializer instanceof TtlValueSerializer<T> ttl)) {
                return SchemaCompatibility.incompatible("TTL was enabled and is not any more");
            }
            return inner.resolveCompatibility(ttl.inner);
        }

        @Override
        public String describe() {
            return "ttl(" + inner.describe() + ")";
        }
    }
}
