package io.tidemark.checkpoint.offline;

import io.tidemark.ConfigurationException;
import io.tidemark.backend.canonical.CanonicalSnapshotReader;
import io.tidemark.backend.canonical.CanonicalSnapshotWriter;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.OperatorStateHandle;
import io.tidemark.backend.snapshot.StateMetaInfo;
import io.tidemark.checkpoint.format.CompressionConfig;
import io.tidemark.checkpoint.fs.CheckpointFileSystem;
import io.tidemark.checkpoint.job.OperatorSnapshot;
import io.tidemark.checkpoint.job.StateDescription;
import io.tidemark.checkpoint.job.SubtaskState;
import io.tidemark.checkpoint.savepoint.SavepointWriter;
import io.tidemark.checkpoint.storage.CompletedCheckpoint;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.serialization.StateSerializer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.agrona.ExpandableArrayBuffer;

/**
 * Writes a transformed copy of a checkpoint or savepoint as a new savepoint: keyed or operator states dropped, keyed
 * values mapped (raw bytes, or decoded and re-encoded with the stored serializers). Entries stay in canonical order,
 * key groups and operator coordinates are unchanged, so the result restores like the source at any parallelism.
 * Native keyed state (the {@code offheap} backend's checkpoints) is converted to canonical first ({@link
 * OfflineSnapshot#canonical}), so the result is canonical and restores into every backend.
 *
 * <p>Build it, then call {@link #write} once. Not thread-safe; an offline tool.
 */
public final class SavepointTransform {
    private final OfflineSnapshot source;
    private final Set<String> droppedKeyed = new HashSet<>();
    private final Set<String> droppedOperator = new HashSet<>();
    private final Map<String, UnaryOperator<byte[]>> rawMappers = new HashMap<>();
    private final Map<String, UnaryOperator<Object>> valueMappers = new HashMap<>();
    private final Map<String, StateSerializer<?>> valueWriters = new HashMap<>();

    private SavepointTransform(OfflineSnapshot source) {
        this.source = source;
    }

    public static SavepointTransform of(OfflineSnapshot source) {
        return new SavepointTransform(source);
    }

    private static String key(String operatorId, String state) {
        return operatorId + "\u0000" + state;
    }

    public SavepointTransform dropKeyedState(String operatorId, String state) {
        droppedKeyed.add(key(operatorId, state));
        return this;
    }

    public SavepointTransform dropOperatorState(String operatorId, String state) {
        droppedOperator.add(key(operatorId, state));
        return this;
    }

    /** Replaces every stored value of a keyed state by {@code mapper(value)}, as raw bytes. */
    public SavepointTransform mapRawValues(String operatorId, String state, UnaryOperator<byte[]> mapper) {
        rawMappers.put(key(operatorId, state), mapper);
        return this;
    }

    /**
     * Replaces every stored value of a keyed state, decoded with the stored serializer snapshot's restore serializer
     * and re-encoded with the same serializer (so the stored serializer snapshot stays valid).
     */
    public SavepointTransform mapValues(String operatorId, String state, UnaryOperator<Object> mapper) {
        valueMappers.put(key(operatorId, state), mapper);
        return this;
    }

    /**
     * Replaces every stored value of a keyed state, decoded with the stored serializer snapshot's restore serializer
     * and written with {@code serializer}, whose snapshot replaces the stored one. Use it for values whose restore
     * serializer only reads (records, enums: their schema may have evolved) and for a deliberate format change. For a
     * state with TTL the stored value is the TTL wrapper: pass the TTL-wrapping serializer.
     */
    public <T> SavepointTransform mapValues(
            String operatorId, String state, StateSerializer<T> serializer, UnaryOperator<T> mapper) {
        @SuppressWarnings("unchecked")
        UnaryOperator<Object> untyped = v -> mapper.apply((T) v);
        valueMappers.put(key(operatorId, state), untyped);
        valueWriters.put(key(operatorId, state), serializer);
        return this;
    }

    /**
     * Writes the transformed savepoint to {@code target} (must not exist) and commits it.
     *
     * @throws io.tidemark.ConfigurationException if native keyed state has no converter on the class path, or {@code
     *     target} exists
     */
    public CompletedCheckpoint write(
            CheckpointFileSystem fs, Path target, long savepointId, CompressionConfig compression) {
        SavepointWriter writer = SavepointWriter.begin(fs, target, savepointId, compression);
        try {
            for (OperatorSnapshot o : source.operators()) {
                for (SubtaskState s : o.subtasks()) {
                    writer.add(transform(writer, o, s));
                }
            }
        } catch (RuntimeException e) {
            writer.abort(e);
            throw e;
        }
        return writer.commit();
    }

    private SubtaskState transform(SavepointWriter writer, OperatorSnapshot o, SubtaskState s) {
        List<KeyedStateHandle> keyed = new ArrayList<>();
        for (KeyedStateHandle stored : s.keyedHandles()) {
            KeyedStateHandle h = source.canonical(o.operatorId(), stored);
            if (h != null) {
                keyed.add(rewriteKeyed(writer, o, s, h, keyed.size()));
            }
        }
        List<OperatorStateHandle> operator = new ArrayList<>();
        for (OperatorStateHandle h : s.operatorHandles()) {
            List<OperatorStateStream.State> kept = new ArrayList<>();
            for (OperatorStateStream.State st : OperatorStateStream.read(h, source.reader(), StateListings.loader())) {
                if (!droppedOperator.contains(key(o.operatorId(), st.name()))) {
                    kept.add(st);
                }
            }
            String name = "operator-" + o.operatorId() + "-" + s.subtaskIndex() + "-" + operator.size();
            operator.add(
                    OperatorStateStream.write(kept, writer.storage().createOutput(name, KeyGroupRange.EMPTY, false)));
        }
        List<String> nativeNames = List.of();
        List<StateDescription> states = new ArrayList<>(StateListings.keyed(keyed, nativeNames, writer.reader()));
        states.addAll(StateListings.operator(operator, writer.reader()));
        return new SubtaskState(
                o.operatorId(), s.subtaskIndex(), o.parallelism(), o.maxParallelism(), keyed, operator, states);
    }

    private KeyedStateHandle rewriteKeyed(
            SavepointWriter writer, OperatorSnapshot o, SubtaskState s, KeyedStateHandle h, int ordinal) {
        CanonicalSnapshotReader.Header header =
                CanonicalSnapshotReader.readHeader(h, source.streams(), StateListings.loader());
        int count = header.states().size();
        int[] newIndex = new int[count];
        List<StateMetaInfo> kept = new ArrayList<>();
        EntryMapper[] mappers = new EntryMapper[count];
        for (int i = 0; i < count; i++) {
            StateMetaInfo m = header.states().get(i);
            String k = key(o.operatorId(), m.name());
            newIndex[i] = droppedKeyed.contains(k) ? -1 : kept.size();
            StateSerializer<?> valueWriter = valueWriters.get(k);
            if (newIndex[i] >= 0) {
                kept.add(
                        valueWriter == null
                                ? m
                                : new StateMetaInfo(
                                        m.name(), m.type(), m.ttl(), m.namespaceSerializer(), valueWriter.snapshot()));
            }
            mappers[i] = mapperFor(k, m);
        }
        KeyGroupRange range = h.keyGroupRange();
        String name = "keyed-" + o.operatorId() + "-" + s.subtaskIndex() + "-" + ordinal;
        CanonicalSnapshotWriter out = new CanonicalSnapshotWriter(
                writer.storage().createOutput(name, range, false),
                range,
                o.maxParallelism(),
                header.keySerializer(),
                kept);
        try {
            int[] next = {range.startKeyGroup()};
            CanonicalSnapshotReader.readKeyGroups(h, source.streams(), range, count, (state, group, k, ns, value) -> {
                while (next[0] <= group) { // key groups without entries are still written, in order
                    if (next[0] > range.startKeyGroup()) {
                        out.endKeyGroup();
                    }
                    out.beginKeyGroup(next[0]++);
                }
                if (newIndex[state] >= 0) {
                    byte[] v = mappers[state] == null ? value : mappers[state].map(value);
                    out.writeEntry(newIndex[state], k, ns, v);
                }
            });
            while (next[0] <= range.endKeyGroup()) {
                if (next[0] > range.startKeyGroup()) {
                    out.endKeyGroup();
                }
                out.beginKeyGroup(next[0]++);
            }
            if (!range.isEmpty()) {
                out.endKeyGroup();
            }
            return out.finish();
        } catch (RuntimeException e) {
            out.abort();
            throw e;
        }
    }

    private interface EntryMapper {
        byte[] map(byte[] value);
    }

    @SuppressWarnings("unchecked")
    private EntryMapper mapperFor(String key, StateMetaInfo meta) {
        UnaryOperator<byte[]> raw = rawMappers.get(key);
        if (raw != null) {
            return raw::apply;
        }
        UnaryOperator<Object> decoded = valueMappers.get(key);
        if (decoded == null) {
            return null;
        }
        StateSerializer<Object> reader =
                (StateSerializer<Object>) meta.valueSerializer().restoreSerializer();
        StateSerializer<Object> writer = (StateSerializer<Object>) valueWriters.getOrDefault(key, reader);
        ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        return value -> {
            Object mapped = decoded.apply(OfflineSnapshot.decode(reader, value));
            int length;
            try {
                length = writer.write(mapped, buffer, 0);
            } catch (UnsupportedOperationException e) {
                throw new ConfigurationException(
                        "the stored serializer of this state cannot write (its values may"
                                + " have evolved): state=" + meta.name() + ", serializer="
                                + meta.valueSerializer().describe()
                                + "; pass the state's current serializer to mapValues(operator, state, serializer, mapper)",
                        e);
            }
            byte[] bytes = new byte[length];
            buffer.getBytes(0, bytes);
            return bytes;
        };
    }
}
