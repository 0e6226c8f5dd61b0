package io.tidemark.backend.canonical;

import io.tidemark.SerializationException;
import io.tidemark.keygroup.KeyGroupRange;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Start offsets of each key group in a canonical stream; the payload of a canonical {@code KeyedStateHandle}. */
public record KeyGroupOffsets(KeyGroupRange range, long[] offsets) {
    private static final int VERSION = 1;

    public long offsetOf(int keyGroup) {
        return offsets[keyGroup - range.startKeyGroup()];
    }

    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(12 + offsets.length * 8);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(VERSION);
            out.writeInt(range.startKeyGroup());
            out.writeInt(offsets.length);
            for (long offset : offsets) {
                out.writeLong(offset);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static KeyGroupOffsets fromBytes(byte[] payload, KeyGroupRange expected) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            int version = in.readInt();
            int start = in.readInt();
            int count = in.readInt();
            if (version != VERSION || start != expected.startKeyGroup() || count != expected.size()) {
                throw new SerializationException("canonical key-group offsets do not match the handle: version="
                        + version + ", start=" + start + ", count=" + count + ", expected range=" + expected);
            }
            long[] offsets = new long[count];
            for (int i = 0; i < count; i++) {
                offsets[i] = in.readLong();
            }
            return new KeyGroupOffsets(expected, offsets);
        } catch (IOException e) {
            throw new SerializationException("canonical key-group offsets truncated: length=" + payload.length, e);
        }
    }
}
