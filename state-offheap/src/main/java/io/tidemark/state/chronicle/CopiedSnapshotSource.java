package io.tidemark.state.chronicle;

import io.tidemark.backend.internal.SnapshotSource;
import io.tidemark.serialization.StateSerializer;
import java.nio.ByteOrder;
import java.util.List;
import org.agrona.ExpandableArrayBuffer;

/**
 * A {@link SnapshotSource} over a {@link SnapshotCopy}: decodes the copied bytes into canonical objects with
 * serializers duplicated for the snapshot thread. Stored values are already in the canonical serializer's format, so
 * decoding them with it is exact.
 */
final class CopiedSnapshotSource implements SnapshotSource {
    private SnapshotCopy copy;
    private final StateSerializer<Object> keySerializer;
    private final List<StateSerializer<Object>> namespaceSerializers;
    private final List<StateSerializer<Object>> valueSerializers;

    CopiedSnapshotSource(
            SnapshotCopy copy,
            StateSerializer<Object> keySerializer,
            List<StateSerializer<Object>> namespaceSerializers,
            List<StateSerializer<Object>> valueSerializers) {
        this.copy = copy;
        this.keySerializer = keySerializer;
        this.namespaceSerializers = namespaceSerializers;
        this.valueSerializers = valueSerializers;
    }

    @Override
    public void forEachEntry(int stateIndex, int keyGroup, EntryConsumer consumer) {
        ExpandableArrayBuffer records = copy.records(stateIndex, keyGroup);
        if (records == null) {
            return;
        }
        StateSerializer<Object> namespaceSerializer = namespaceSerializers.get(stateIndex);
        StateSerializer<Object> valueSerializer = valueSerializers.get(stateIndex);
        int end = copy.recordsLength(stateIndex, keyGroup);
        int position = 0;
        while (position < end) {
            int mapKeyLength = records.getInt(position, ByteOrder.LITTLE_ENDIAN);
            int mapKey = position + Integer.BYTES;
            int keyLength = StateKeyLayout.keyLength(records, mapKey);
            int keyOffset = mapKey + StateKeyLayout.KEY_OFFSET;
            int namespaceOffset = keyOffset + keyLength;
            int namespaceLength = mapKey + mapKeyLength - namespaceOffset;
            int valueLengthOffset = mapKey + mapKeyLength;
            int valueLength = records.getInt(valueLengthOffset, ByteOrder.LITTLE_ENDIAN);
            int value = valueLengthOffset + Integer.BYTES;
            consumer.accept(
                    keySerializer.read(records, keyOffset, keyLength),
                    namespaceSerializer.read(records, namespaceOffset, namespaceLength),
                    valueSerializer.read(records, value, valueLength));
            position = value + valueLength;
        }
    }

    @Override
    public void release() {
        copy = null;
    }
}
