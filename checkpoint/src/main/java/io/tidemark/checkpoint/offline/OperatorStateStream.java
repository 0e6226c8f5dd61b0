package io.tidemark.checkpoint.offline;

import io.tidemark.CorruptCheckpointException;
import io.tidemark.SerializationException;
import io.tidemark.backend.operator.OperatorStateFormat;
import io.tidemark.backend.operator.RedistributionMode;
import io.tidemark.backend.snapshot.OperatorStateHandle;
import io.tidemark.backend.snapshot.SnapshotOutput;
import io.tidemark.backend.snapshot.SnapshotReader;
import io.tidemark.backend.snapshot.StreamHandle;
import io.tidemark.serialization.SerializerSnapshot;
import io.tidemark.serialization.SerializerSnapshots;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes whole operator-state streams (core's {@link OperatorStateFormat}) offline, for inspection and
 * rewriting. Operator state is small by design, so a stream is held in memory. Stateless; any thread; allocates.
 */
public final class OperatorStateStream {
    /**
     * One operator state of one stream: name, mode, serializer snapshots ({@code second} only for broadcast state) and
     * its raw elements (one part for list states, key and value for broadcast states).
     */
    public record State(
            String name,
            RedistributionMode mode,
            SerializerSnapshot<?> first,
            SerializerSnapshot<?> second,
            List<byte[][]> elements) {
        public State {
            elements = List.copyOf(elements);
        }
    }

    private OperatorStateStream() {}

    /** @throws CorruptCheckpointException naming the stream if it is not a valid operator-state stream */
    public static List<State> read(OperatorStateHandle handle, SnapshotReader reader, ClassLoader classLoader) {
        StreamHandle stream = handle.stream();
        List<State> states = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(reader.open(stream, 0)))) {
            int magic = in.readInt();
            if (magic != OperatorStateFormat.MAGIC) {
                throw corrupt("not an operator state stream", stream, 0, OperatorStateFormat.MAGIC, magic);
            }
            int version = in.readInt();
            if (version != OperatorStateFormat.VERSION) {
                throw corrupt("operator state version not supported", stream, 4, OperatorStateFormat.VERSION, version);
            }
            int count = check(stream, "state count", in.readInt(), 1 << 16);
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                int ordinal = in.readByte();
                RedistributionMode[] modes = RedistributionMode.values();
                if (ordinal < 0 || ordinal >= modes.length) {
                    throw corrupt("unknown redistribution mode", stream, -1, "[0, " + modes.length + ")", ordinal);
                }
                RedistributionMode mode = modes[ordinal];
                SerializerSnapshot<?> first = SerializerSnapshots.read(in, classLoader);
                SerializerSnapshot<?> second =
                        mode == RedistributionMode.BROADCAST ? SerializerSnapshots.read(in, classLoader) : null;
                int elements = check(stream, "element count", in.readInt(), OperatorStateFormat.MAX_ELEMENTS);
                int parts = mode == RedistributionMode.BROADCAST ? 2 : 1;
                List<byte[][]> list = new ArrayList<>(Math.min(elements, 1024));
                for (int e = 0; e < elements; e++) {
                    byte[][] element = new byte[parts][];
                    for (int p = 0; p < parts; p++) {
                        int max = (int) Math.min(OperatorStateFormat.MAX_ELEMENT_LENGTH, stream.length());
                        element[p] = new byte[check(stream, "element length", in.readInt(), max)];
                        in.readFully(element[p]);
                    }
                    list.add(element);
                }
                states.add(new State(name, mode, first, second, list));
            }
            return states;
        } catch (EOFException e) {
            throw corrupt("operator state truncated", stream, stream.length(), "more bytes", "end of stream");
        } catch (SerializationException e) {
            throw corrupt("operator state serializer snapshot invalid", stream, -1, "valid snapshot", e.getMessage());
        } catch (IOException e) {
            throw corrupt("operator state unreadable", stream, -1, "readable stream", e.toString());
        }
    }

    /** Writes {@code states} as one operator-state stream and finishes {@code output}. */
    public static OperatorStateHandle write(List<State> states, SnapshotOutput output) {
        try {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(output, 1 << 16));
            out.writeInt(OperatorStateFormat.MAGIC);
            out.writeInt(OperatorStateFormat.VERSION);
            out.writeInt(states.size());
            for (State s : states) {
                out.writeUTF(s.name());
                out.writeByte(s.mode().ordinal());
                SerializerSnapshots.write(s.first(), out);
                if (s.mode() == RedistributionMode.BROADCAST) {
                    SerializerSnapshots.write(s.second(), out);
                }
                out.writeInt(s.elements().size());
                for (byte[][] element : s.elements()) {
                    for (byte[] part : element) {
                        out.writeInt(part.length);
                        out.write(part);
                    }
                }
            }
            out.flush();
            return new OperatorStateHandle(output.closeAndGetHandle());
        } catch (IOException | RuntimeException e) {
            output.abort();
            throw e instanceof RuntimeException r
                    ? r
                    : new io.tidemark.StorageIOException("writing operator state failed", (IOException) e);
        }
    }

    private static int check(StreamHandle stream, String what, int value, int max) {
        if (value < 0 || value > max) {
            throw corrupt("operator state " + what + " out of range", stream, -1, "[0, " + max + "]", value);
        }
        return value;
    }

    private static CorruptCheckpointException corrupt(
            String what, StreamHandle stream, long offset, Object expected, Object actual) {
        return new CorruptCheckpointException(what, stream.name(), offset, expected, actual);
    }
}
