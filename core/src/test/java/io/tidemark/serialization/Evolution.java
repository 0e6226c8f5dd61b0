package io.tidemark.serialization;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** Test steps of a restore: persist a snapshot and values under the old serializer, read them back later. */
final class Evolution {
    private Evolution() {}

    /** The snapshot as a restore sees it: written to bytes and read back through {@code classLoader}. */
    static <T> SerializerSnapshot<T> persisted(SerializerSnapshot<?> snapshot, ClassLoader classLoader) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            SerializerSnapshots.write(snapshot, new DataOutputStream(bytes));
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
            SerializerSnapshot<T> read = SerializerSnapshots.read(in, classLoader);
            if (in.available() != 0) {
                throw new IllegalStateException("snapshot not fully read: left=" + in.available());
            }
            return read;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T> SerializerSnapshot<T> persisted(SerializerSnapshot<?> snapshot) {
        return persisted(snapshot, Evolution.class.getClassLoader());
    }

    static <T> byte[] encode(StateSerializer<T> serializer, T value) {
        ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(32);
        int length = serializer.write(value, buffer, 0);
        byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    static <T> T decode(StateSerializer<T> serializer, byte[] bytes) {
        return serializer.read(new UnsafeBuffer(bytes), 0, bytes.length);
    }
}
