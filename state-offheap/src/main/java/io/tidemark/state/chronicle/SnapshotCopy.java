package io.tidemark.state.chronicle;

import io.tidemark.keygroup.KeyGroupRange;
import java.nio.ByteOrder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The raw entries of every state as of the synchronous part of a snapshot, on the heap, grouped by state and key group
 * so that the asynchronous part can write key group after key group. Filled on the operator thread, then only read
 * (by the snapshot thread).
 *
 * <pre>
 * one record: | mapKeyLength: int32 LE | mapKey | valueLength: int32 LE | value |
 * </pre>
 */
final class SnapshotCopy {
    private final int startKeyGroup;
    private final int keyGroups;
    private final ExpandableArrayBuffer[][] buffers;
    private final int[][] lengths;
    private long bytes;

    SnapshotCopy(int states, KeyGroupRange range) {
        this.startKeyGroup = range.startKeyGroup();
        this.keyGroups = range.size();
        this.buffers = new ExpandableArrayBuffer[states][];
        this.lengths = new int[states][];
    }

    void add(int stateIndex, byte[] mapKey, byte[] value) {
        if (buffers[stateIndex] == null) {
            buffers[stateIndex] = new ExpandableArrayBuffer[keyGroups];
            lengths[stateIndex] = new int[keyGroups];
        }
        int group = StateKeyLayout.keyGroup(mapKey) - startKeyGroup;
        ExpandableArrayBuffer buffer = buffers[stateIndex][group];
        if (buffer == null) {
            buffer = new ExpandableArrayBuffer(Math.max(64, 2 * (mapKey.length + value.length + 8)));
            buffers[stateIndex][group] = buffer;
        }
        int position = lengths[stateIndex][group];
        position = putBytes(buffer, position, mapKey);
        position = putBytes(buffer, position, value);
        lengths[stateIndex][group] = position;
        bytes += 8L + mapKey.length + value.length;
    }

    private static int putBytes(MutableDirectBuffer buffer, int position, byte[] bytes) {
        buffer.putInt(position, bytes.length, ByteOrder.LITTLE_ENDIAN);
        buffer.putBytes(position + Integer.BYTES, bytes);
        return position + Integer.BYTES + bytes.length;
    }

    /** The records of one state and key group, or {@code null} when there are none. */
    ExpandableArrayBuffer records(int stateIndex, int keyGroup) {
        ExpandableArrayBuffer[] perGroup = buffers[stateIndex];
        return perGroup == null ? null : perGroup[keyGroup - startKeyGroup];
    }

    /** Bytes used by the records of one state and key group. */
    int recordsLength(int stateIndex, int keyGroup) {
        int[] perGroup = lengths[stateIndex];
        return perGroup == null ? 0 : perGroup[keyGroup - startKeyGroup];
    }

    /** Total bytes copied (what the synchronous part cost in heap). */
    long bytes() {
        return bytes;
    }
}
