package io.tidemark.checkpoint.coordinator;

import io.tidemark.CorruptCheckpointException;
import io.tidemark.backend.snapshot.StreamHandle;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The payload the coordinator stores in {@code _metadata}: every task's {@link TaskSnapshot}, ordered by task index.
 *
 * <pre>
 * version u8 (1) | taskCount i32 | per task: taskIndex i32 | stateLength i32 | state | streamCount i32 |
 *                                            per stream: name (modified UTF-8) | length i64 | shared u8
 * </pre>
 *
 * It sits inside {@code _metadata}'s checksum; decoding still validates every count so that bad bytes fail with
 * {@link CorruptCheckpointException} only.
 */
public final class CheckpointPayload {
    static final int VERSION = 1;

    private CheckpointPayload() {}

    public static byte[] encode(List<TaskSnapshot> tasks) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(tasks.size());
            for (TaskSnapshot t : tasks) {
                out.writeInt(t.taskIndex());
                out.writeInt(t.state().length);
                out.write(t.state());
                out.writeInt(t.streams().size());
                for (StreamHandle s : t.streams()) {
                    out.writeUTF(s.name());
                    out.writeLong(s.length());
                    out.writeBoolean(s.shared());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @param file the {@code _metadata} the payload came from, for error messages */
    public static List<TaskSnapshot> decode(byte[] payload, String file) {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
        try {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw corrupt("unsupported checkpoint payload version", file, VERSION, version);
            }
            int count = count(in.readInt(), payload.length, "task count", file);
            List<TaskSnapshot> tasks = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int index = in.readInt();
                if (index < 0) {
                    throw corrupt("negative task index in checkpoint payload", file, ">= 0", index);
                }
                byte[] state = new byte[count(in.readInt(), payload.length, "state length", file)];
                in.readFully(state);
                int streams = count(in.readInt(), payload.length, "stream count", file);
                List<StreamHandle> handles = new ArrayList<>(streams);
                for (int s = 0; s < streams; s++) {
                    String name = in.readUTF();
                    long length = in.readLong();
                    boolean shared = in.readBoolean();
                    if (name.isEmpty() || length < 0) {
                        throw corrupt(
                                "invalid stream handle in checkpoint payload",
                                file,
                                "name and length >= 0",
                                name + "/" + length);
                    }
                    handles.add(new StreamHandle(name, length, shared));
                }
                tasks.add(new TaskSnapshot(index, state, handles));
            }
            if (in.available() != 0) {
                throw corrupt("trailing bytes in checkpoint payload", file, 0, in.available());
            }
            return tasks;
        } catch (IOException e) {
            throw corrupt("checkpoint payload truncated", file, "complete payload", e.toString());
        }
    }

    private static int count(int value, int limit, String what, String file) {
        if (value < 0 || value > limit) {
            throw corrupt("checkpoint payload " + what + " out of range", file, "[0, " + limit + "]", value);
        }
        return value;
    }

    private static CorruptCheckpointException corrupt(String what, String file, Object expected, Object actual) {
        return new CorruptCheckpointException(what, file, 0, expected, actual);
    }
}
