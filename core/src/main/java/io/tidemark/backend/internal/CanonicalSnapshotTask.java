package io.tidemark.backend.internal;

import io.tidemark.backend.KeyedBackendParameters;
import io.tidemark.backend.canonical.CanonicalSnapshotWriter;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.SnapshotStorage;
import io.tidemark.backend.snapshot.StateMetaInfo;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.serialization.StateSerializer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.agrona.ExpandableArrayBuffer;

/**
 * The asynchronous part of a canonical snapshot: walks the frozen entries key group by key group, drops expired TTL
 * values, serializes with per-task serializer instances and writes the canonical stream. Runs on one snapshot thread.
 */
final class CanonicalSnapshotTask<K> {
    private static final Comparator<byte[][]> ENTRY_ORDER = (a, b) -> {
        int c = Arrays.compareUnsigned(a[0], b[0]);
        return c != 0 ? c : Arrays.compareUnsigned(a[1], b[1]);
    };

    private final KeyedBackendParameters<K> parameters;
    private final long checkpointId;
    private final boolean sorted;
    private final List<RegisteredKeyedState> states;
    private final List<RestoredKeyedState> carried;
    private final List<StateMetaInfo> metas;
    private final long[] ttlNow;
    private final SnapshotSource source;
    private final SnapshotStorage storage;

    CanonicalSnapshotTask(
            KeyedBackendParameters<K> parameters,
            long checkpointId,
            boolean sorted,
            List<RegisteredKeyedState> states,
            List<RestoredKeyedState> carried,
            List<StateMetaInfo> metas,
            long[] ttlNow,
            SnapshotSource source,
            SnapshotStorage storage) {
        this.parameters = parameters;
        this.checkpointId = checkpointId;
        this.sorted = sorted;
        this.states = states;
        this.carried = carried;
        this.metas = metas;
        this.ttlNow = ttlNow;
        this.source = source;
        this.storage = storage;
    }

    @SuppressWarnings("unchecked")
    KeyedStateHandle run() {
        KeyGroupRange range = parameters.keyGroupRange();
        String name = "keyed-" + parameters.operatorId() + "-" + range.startKeyGroup() + "-" + range.endKeyGroup()
                + "-chk" + checkpointId;
        CanonicalSnapshotWriter writer = null;
        try {
            writer = new CanonicalSnapshotWriter(
                    storage.createOutput(name, range, false),
                    range,
                    parameters.maxParallelism(),
                    parameters.keySerializer().snapshot(),
                    metas);
            StateSerializer<Object> keySerializer =
                    (StateSerializer<Object>) parameters.keySerializer().duplicate();
            List<StateSerializer<Object>> namespaceSerializers = new ArrayList<>();
            List<StateSerializer<Object>> valueSerializers = new ArrayList<>();
            for (RegisteredKeyedState state : states) {
                namespaceSerializers.add(state.namespaceSerializer().duplicate());
                valueSerializers.add(state.valueSerializer().duplicate());
            }
            ExpandableArrayBuffer keyBuffer = new ExpandableArrayBuffer(64);
            ExpandableArrayBuffer namespaceBuffer = new ExpandableArrayBuffer(16);
            ExpandableArrayBuffer valueBuffer = new ExpandableArrayBuffer(256);
            List<byte[][]> sortBuffer = new ArrayList<>();
            for (int keyGroup = range.startKeyGroup(); keyGroup <= range.endKeyGroup(); keyGroup++) {
                writer.beginKeyGroup(keyGroup);
                for (RegisteredKeyedState state : states) {
                    int index = state.index();
                    StateSerializer<Object> namespaceSerializer = namespaceSerializers.get(index);
                    StateSerializer<Object> valueSerializer = valueSerializers.get(index);
                    final CanonicalSnapshotWriter out = writer;
                    source.forEachEntry(index, keyGroup, (key, namespace, value) -> {
                        Object live = state.ttl() == null || !state.ttl().cleanupInSnapshots()
                                ? value
                                : TtlSnapshotFilter.liveOrNull(
                                        StateComposer.storageShape(state.type(), true),
                                        value,
                                        state.ttl(),
                                        ttlNow[index]);
                        if (live == null) {
                            return;
                        }
                        int keyLength = keySerializer.write(key, keyBuffer, 0);
                        int namespaceLength = namespaceSerializer.write(namespace, namespaceBuffer, 0);
                        int valueLength = valueSerializer.write(live, valueBuffer, 0);
                        if (sorted) {
                            sortBuffer.add(new byte[][] {
                                copy(keyBuffer, keyLength),
                                copy(namespaceBuffer, namespaceLength),
                                copy(valueBuffer, valueLength)
                            });
                        } else {
                            out.writeEntry(
                                    index,
                                    keyBuffer,
                                    keyLength,
                                    namespaceBuffer,
                                    namespaceLength,
                                    valueBuffer,
                                    valueLength);
                        }
                    });
                    if (sorted) {
                        sortBuffer.sort(ENTRY_ORDER);
                        for (byte[][] entry : sortBuffer) {
                            writer.writeEntry(index, entry[0], entry[1], entry[2]);
                        }
                        sortBuffer.clear();
                    }
                }
                for (int i = 0; i < carried.size(); i++) {
                    int index = states.size() + i;
                    for (RestoredKeyedState.Entry entry : carried.get(i).entriesOf(keyGroup)) {
                        writer.writeEntry(index, entry.key(), entry.namespace(), entry.value());
                    }
                }
                writer.endKeyGroup();
            }
            return writer.finish();
        } catch (RuntimeException | Error e) {
            if (writer != null) {
                writer.abort();
            }
            throw e;
        } finally {
            source.release();
        }
    }

    private static byte[] copy(ExpandableArrayBuffer buffer, int length) {
        byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes, 0, length);
        return bytes;
    }
}
