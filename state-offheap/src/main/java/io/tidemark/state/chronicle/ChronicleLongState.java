package io.tidemark.state.chronicle;

import io.tidemark.backend.internal.InternalLongState;
import io.tidemark.serialization.StateSerializer;
import java.nio.ByteOrder;
import org.agrona.concurrent.UnsafeBuffer;

/** Long state in a Chronicle Map: 8 bytes little-endian, the format of {@code LongSerializer}. */
final class ChronicleLongState<N> extends AbstractChronicleState<N> implements InternalLongState<N> {
    private final long defaultValue;
    private final UnsafeBuffer access = new UnsafeBuffer(new byte[0]);

    ChronicleLongState(
            ChronicleKeyedStateBackend<?> backend,
            StateMapFile map,
            String name,
            StateSerializer<N> namespaceSerializer,
            long defaultValue) {
        super(backend, map, name, namespaceSerializer);
        this.defaultValue = defaultValue;
    }

    @Override
    public long get() {
        byte[] bytes = storedBytes();
        return bytes == null ? defaultValue : decode(bytes);
    }

    @Override
    public void set(long value) {
        byte[] bytes = new byte[Long.BYTES];
        access.wrap(bytes);
        access.putLong(0, value, ByteOrder.LITTLE_ENDIAN);
        storeBytes(bytes);
    }

    @Override
    public long add(long delta) {
        long next = get() + delta;
        set(next);
        return next;
    }

    @Override
    public boolean isPresent() {
        return storedBytes() != null;
    }

    private long decode(byte[] bytes) {
        access.wrap(bytes);
        return access.getLong(0, ByteOrder.LITTLE_ENDIAN);
    }
}
