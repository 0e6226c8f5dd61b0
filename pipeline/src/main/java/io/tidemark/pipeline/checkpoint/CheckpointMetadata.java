package io.tidemark.pipeline.checkpoint;

import io.tidemark.CorruptCheckpointException;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.OperatorStateHandle;
import io.tidemark.backend.snapshot.SnapshotHandles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A completed checkpoint: id, the job's max parallelism and every instance's state handles.
 *
 * <pre>
 *  0      4        8          16            24       28        32
 *  +------+--------+----------+-------------+--------+---------+----------------+--------+
 *  | TMCP | ver=1  | id (i64) | time (i64)  | maxP   | n tasks | n x task entry | CRC32C |
 *  +------+--------+----------+-------------+--------+---------+----------------+--------+
 *  task entry: UTF operator, i32 subtask, i32 parallelism, bool keyed [keyed handle], operator handle
 *  (handles in {@link SnapshotHandles} form); big-endian (DataOutput); CRC32C over every preceding byte, little-endian.
 * </pre>
 */
public record CheckpointMetadata(long checkpointId, long timestampMillis, int maxParallelism, List<TaskState> tasks) {
    private static final int MAGIC = 0x544d4350;
    private static final int VERSION = 1;

    public CheckpointMetadata {
        tasks = List.copyOf(tasks);
    }

    /** The instances of {@code operator}, in subtask order. */
    public List<TaskState> tasksOf(String operator) {
        List<TaskState> result = new ArrayList<>();
        for (TaskState task : tasks) {
            if (task.operator().equals(operator)) {
                result.add(task);
            }
        }
        result.sort(Comparator.comparingInt(TaskState::subtask));
        return result;
    }

    public byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(checkpointId);
            out.writeLong(timestampMillis);
            out.writeInt(maxParallelism);
            out.writeInt(tasks.size());
            for (TaskState task : tasks) {
                out.writeUTF(task.operator());
                out.writeInt(task.subtask());
                out.writeInt(task.parallelism());
                out.writeBoolean(task.keyed() != null);
                if (task.keyed() != null) {
                    SnapshotHandles.writeKeyed(task.keyed(), out);
                }
                SnapshotHandles.writeOperator(task.operatorState(), out);
            }
            out.flush();
            CRC32C crc = new CRC32C();
            crc.update(bytes.toByteArray());
            ByteBuffer trailer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            trailer.putInt((int) crc.getValue());
            bytes.write(trailer.array());
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("in-memory write failed", e);
        }
    }

    /**
     * @throws CorruptCheckpointException naming {@code file} if the bytes fail the magic, version, CRC or structure
     */
    public static CheckpointMetadata decode(byte[] data, String file) {
        if (data.length < 36) {
            throw new CorruptCheckpointException("metadata too short", file, 0, ">= 36 bytes", data.length);
        }
        CRC32C crc = new CRC32C();
        crc.update(data, 0, data.length - 4);
        int stored = ByteBuffer.wrap(data, data.length - 4, 4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .getInt();
        if (stored != (int) crc.getValue()) {
            throw new CorruptCheckpointException(
                    "metadata checksum mismatch", file, data.length - 4, (int) crc.getValue(), stored);
        }
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(data, 0, data.length - 4));
            int magic = in.readInt();
            if (magic != MAGIC) {
                throw new CorruptCheckpointException("bad metadata magic", file, 0, MAGIC, magic);
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new CorruptCheckpointException("unsupported metadata version", file, 4, VERSION, version);
            }
            long id = in.readLong();
            long time = in.readLong();
            int maxParallelism = in.readInt();
            int count = in.readInt();
            if (count < 0 || count > 1 << 16) {
                throw new CorruptCheckpointException("task count out of range", file, 28, "[0, 65536]", count);
            }
            List<TaskState> tasks = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String operator = in.readUTF();
                int subtask = in.readInt();
                int parallelism = in.readInt();
                KeyedStateHandle keyed = in.readBoolean() ? SnapshotHandles.readKeyed(in) : null;
                OperatorStateHandle op = SnapshotHandles.readOperator(in);
                tasks.add(new TaskState(operator, subtask, parallelism, keyed, op));
            }
            return new CheckpointMetadata(id, time, maxParallelism, tasks);
        } catch (IOException | RuntimeException e) {
            if (e instanceof CorruptCheckpointException c) {
                throw c;
            }
            throw new CorruptCheckpointException("metadata does not decode: " + e, file, -1, "valid metadata", "error");
        }
    }
}
