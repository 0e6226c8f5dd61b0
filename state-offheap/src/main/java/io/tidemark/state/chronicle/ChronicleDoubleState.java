package io.tidemark.state.chronicle;

import io.tidemark.backend.internal.InternalDoubleState;
import io.tidemark.serialization.StateSerializer;
import java.nio.ByteOrder;
import org.agrona.concurrent.UnsafeBuffer;

/** Double state in a Chronicle Map: 8 bytes little-endian, the format of {@code DoubleSerializer}. */
final class ChronicleDoubleState<N> extends AbstractChronicleState<N> implements InternalDoubleState<N> {
    private final double defaultValue;
    private final UnsafeBuffer access = new UnsafeBuffer(new byte[0]);

    ChronicleDoubleState(
            ChronicleKeyedStateBackend<?> backend,
            StateMapFile map,
            String name,
            StateSerializer<N> namespaceSerializer,
            double defaultValue) {
        super(backend, map, name, namespaceSerializer);
        this.defaultValue = defaultValue;
    }

    @Override
    public double get() {
        byte[] bytes = storedBytes();
        return bytes == null ? defaultValue : decode(bytes);
    }

    @Override
    public void set(double value) {
        byte[] bytes = new byte[Double.BYTES];
        access.wrap(bytes);
        access.putDouble(0, value, ByteOrder.LITTLE_ENDIAN);
        storeBytes(bytes);
    }

    @Override
    public double add(double delta) {
        double next = get() + delta;
        set(next);
        return next;
    }

    @Override
    public boolean isPresent() {
        return storedBytes() != null;
    }

    private double decode(byte[] bytes) {
        access.wrap(bytes);
        return access.getDouble(0, ByteOrder.LITTLE_ENDIAN);
    }
}
