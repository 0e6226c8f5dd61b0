package io.tidemark.state.chronicle;

import io.tidemark.keygroup.KeyGroupRange;
import java.nio.ByteOrder;
import net.openhft.chronicle.hash.Data;
import org.agrona.ExpandableArrayBuffer;

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

    SnapshotCopy(int states, KeyGroupRange range) {
        this.startKeyGroup = range.startKeyGroup();
        this.keyGroups = range.size();
        this.buffers = new ExpandableArrayBuffer[states][];
        this.lengths = new int[states][];
    }

    /**
     * Appends one entry, reading its bytes straight out of the map's memory (no intermediate arrays). Called inside
     * Chronicle's iteration, under the segment's lock.
     */
    void add(int stateIndex, Data<?> mapKey, Data<?> value) {
        if (buffers[stateIndex] == null) {
            buffers[stateIndex] = new ExpandableArrayBuffer[keyGroups];
            lengths[stateIndex] = new int[keyGroups];
        }
        int group = StateKeyLayout.keyGroup(mapKey.bytes(), mapKey.offset()) - startKeyGroup;
        int keyLength = Math.toIntExact(mapKey.size());
        int valueLength = Math.toIntExact(value.size());
        int recordLength = 2 * Integer.BYTES + keyLength + valueLength;
        ExpandableArrayBuffer buffer = buffers[stateIndex][group];
        if (buffer == null) {
            buffer = new ExpandableArrayBuffer(Math.max(256, 2 * recordLength));
            buffers[stateIndex][group] = buffer;
        }
        int position = lengths[stateIndex][group];
        buffer.checkLimit(position + recordLength);
        position = putData(buffer, position, mapKey, keyLength);
        position = putData(buffer, position, value, valueLength);
        lengths[stateIndex][group] = position;
    }

    private static int putData(ExpandableArrayBuffer buffer, int position, Data<?> data, int length) {
        buffer.putInt(position, length, ByteOrder.LITTLE_ENDIAN);
        int start = position + Integer.BYTES;
        long read = data.bytes().read(data.offset(), buffer.byteArray(), start, length);
        if (read != length) {
            throw new IllegalStateException("short read from chronicle map: wanted=" + length + ", read=" + read);
        }
        return start + length;
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
}
