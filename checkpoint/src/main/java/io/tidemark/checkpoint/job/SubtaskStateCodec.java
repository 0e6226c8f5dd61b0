package io.tidemark.checkpoint.job;

import io.tidemark.CorruptCheckpointException;
import io.tidemark.TidemarkException;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.OperatorStateHandle;
import io.tidemark.backend.snapshot.SnapshotHandles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary form of a {@link SubtaskState}: the {@code state} bytes of one task in the coordinator's payload
 * ({@link io.tidemark.checkpoint.coordinator.CheckpointPayload}), so checkpoints and savepoints share one
 * {@code _metadata} payload. Big-endian, {@link DataOutputStream}:
 *
 * <pre>
 * magic i32 "TMST" | version u8 (1) | operatorId utf | subtaskIndex i32 | parallelism i32 | maxParallelism i32
 * | keyedCount i32 | keyed handle x keyedCount        (core's SnapshotHandles.writeKeyed)
 * | operatorCount i32 | operator handle x operatorCount (core's SnapshotHandles.writeOperator)
 * | stateCount i32 | per state: name utf | scope utf | type utf | serializers utf
 * </pre>
 *
 * It lies inside {@code _metadata}'s CRC32C; decoding still checks every count, so any bytes fail only with {@link
 * CorruptCheckpointException}. Stateless and thread-safe; allocates.
 */
public final class SubtaskStateCodec {
    public static final int MAGIC = 0x544d5354;
    public static final int VERSION = 1;
    private static final int MAX_COUNT = 1 << 20;

    private SubtaskStateCodec() {}

    public static byte[] encode(SubtaskState s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeByte(VERSION);
            out.writeUTF(s.operatorId());
            out.writeInt(s.subtaskIndex());
            out.writeInt(s.parallelism());
            out.writeInt(s.maxParallelism());
            out.writeInt(s.keyedHandles().size());
            for (KeyedStateHandle h : s.keyedHandles()) {
                SnapshotHandles.writeKeyed(h, out);
            }
            out.writeInt(s.operatorHandles().size());
            for (OperatorStateHandle h : s.operatorHandles()) {
                SnapshotHandles.writeOperator(h, out);
            }
            out.writeInt(s.states().size());
            for (StateDescription d : s.states()) {
                out.writeUTF(d.name());
                out.writeUTF(d.scope());
                out.writeUTF(d.type());
                out.writeUTF(d.serializers());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @param file the {@code _metadata} the bytes came from, for error messages */
    public static SubtaskState decode(byte[] bytes, String file) {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        try {
            int magic = in.readInt();
            if (magic != MAGIC) {
                throw corrupt("not a subtask state", file, Integer.toHexString(MAGIC), Integer.toHexString(magic));
            }
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw corrupt("subtask state version not supported", file, VERSION, version);
            }
            String operatorId = in.readUTF();
            int subtaskIndex = in.readInt();
            int parallelism = in.readInt();
            int maxParallelism = in.readInt();
            int keyedCount = count(in.readInt(), "keyed handle count", file);
            List<KeyedStateHandle> keyed = new ArrayList<>(keyedCount);
            for (int i = 0; i < keyedCount; i++) {
                keyed.add(SnapshotHandles.readKeyed(in));
            }
            int operatorCount = count(in.readInt(), "operator handle count", file);
            List<OperatorStateHandle> operator = new ArrayList<>(operatorCount);
            for (int i = 0; i < operatorCount; i++) {
                operator.add(SnapshotHandles.readOperator(in));
            }
            int stateCount = count(in.readInt(), "state count", file);
            List<StateDescription> states = new ArrayList<>(stateCount);
            for (int i = 0; i < stateCount; i++) {
                states.add(new StateDescription(in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF()));
            }
            if (in.available() != 0) {
                throw corrupt("trailing bytes in subtask state", file, 0, in.available());
            }
            return new SubtaskState(operatorId, subtaskIndex, parallelism, maxParallelism, keyed, operator, states);
        } catch (IOException e) {
            throw corrupt("subtask state truncated", file, "complete subtask state", e.toString());
        } catch (CorruptCheckpointException e) {
            throw e;
        } catch (TidemarkException | IllegalArgumentException e) {
            throw corrupt("subtask state invalid", file, "valid handles and coordinates", e.getMessage());
        }
    }

    private static int count(int value, String what, String file) {
        if (value < 0 || value > MAX_COUNT) {
            throw corrupt("subtask state " + what + " out of range", file, "[0, " + MAX_COUNT + "]", value);
        }
        return value;
    }

    private static CorruptCheckpointException corrupt(String what, String file, Object expected, Object actual) {
        return new CorruptCheckpointException(what, file, 0, expected, actual);
    }
}
