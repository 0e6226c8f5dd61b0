package io.tidemark.backend.operator;

import io.tidemark.CorruptCheckpointException;
import io.tidemark.SerializationException;
import io.tidemark.StateAccessException;
import io.tidemark.backend.OperatorStateBackend;
import io.tidemark.backend.snapshot.OperatorStateHandle;
import io.tidemark.backend.snapshot.SnapshotOutput;
import io.tidemark.backend.snapshot.SnapshotReader;
import io.tidemark.backend.snapshot.SnapshotStorage;
import io.tidemark.backend.snapshot.StreamHandle;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.serialization.SerializerSnapshot;
import io.tidemark.serialization.SerializerSnapshots;
import io.tidemark.serialization.StateSerializer;
import io.tidemark.state.ListState;
import io.tidemark.state.ListStateDescriptor;
import io.tidemark.state.MapState;
import io.tidemark.state.MapStateDescriptor;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Operator state on the heap, shared by every backend (operator state is small: offsets, pending transactions,
 * broadcast rules). The synchronous snapshot part copies the element lists; the asynchronous part serializes them.
 * Operator thread only.
 */
public final class DefaultOperatorStateBackend implements OperatorStateBackend {
    private record Registered(
            String name,
            RedistributionMode mode,
            StateSerializer<Object> first,
            StateSerializer<Object> second,
            Object state) {}

    private record Restored(
            RedistributionMode mode,
            SerializerSnapshot<?> first,
            SerializerSnapshot<?> second,
            List<byte[][]> elements) {}

    private final String operatorId;
    private final Map<String, Registered> registered = new LinkedHashMap<>();
    private final Map<String, Restored> restored = new LinkedHashMap<>();
    private boolean closed;

    public DefaultOperatorStateBackend(String operatorId) {
        this.operatorId = operatorId;
    }

    @Override
    public <T> ListState<T> getListState(ListStateDescriptor<T> descriptor) {
        return listState(descriptor, RedistributionMode.SPLIT);
    }

    @Override
    public <T> ListState<T> getUnionListState(ListStateDescriptor<T> descriptor) {
        return listState(descriptor, RedistributionMode.UNION);
    }

    @SuppressWarnings("unchecked")
    private <T> ListState<T> listState(ListStateDescriptor<T> descriptor, RedistributionMode mode) {
        Registered existing = existing(descriptor.name(), mode);
        if (existing != null) {
            return (ListState<T>) existing.state();
        }
        OperatorListState<T> state = new OperatorListState<>();
        Restored old = restored.remove(descriptor.name());
        if (old != null) {
            checkMode(descriptor.name(), old.mode(), mode);
            StateSerializer<T> reader = SerializerSnapshots.readerFor(
                    descriptor.name(), "element", (SerializerSnapshot<T>) old.first(), descriptor.serializer());
            UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
            for (byte[][] element : old.elements()) {
                buffer.wrap(element[0]);
                state.elements.add(reader.read(buffer, 0, element[0].length));
            }
        }
        registered.put(
                descriptor.name(),
                new Registered(
                        descriptor.name(), mode, (StateSerializer<Object>) descriptor.serializer(), null, state));
        return state;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> MapState<K, V> getBroadcastState(MapStateDescriptor<K, V> descriptor) {
        Registered existing = existing(descriptor.name(), RedistributionMode.BROADCAST);
        if (existing != null) {
            return (MapState<K, V>) existing.state();
        }
        BroadcastMapState<K, V> state = new BroadcastMapState<>();
        Restored old = restored.remove(descriptor.name());
        if (old != null) {
            checkMode(descriptor.name(), old.mode(), RedistributionMode.BROADCAST);
            StateSerializer<K> keyReader = SerializerSnapshots.readerFor(
                    descriptor.name(), "key", (SerializerSnapshot<K>) old.first(), descriptor.userKeySerializer());
            StateSerializer<V> valueReader = SerializerSnapshots.readerFor(
                    descriptor.name(), "value", (SerializerSnapshot<V>) old.second(), descriptor.serializer());
            UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
            for (byte[][] element : old.elements()) {
                buffer.wrap(element[0]);
                K key = keyReader.read(buffer, 0, element[0].length);
                buffer.wrap(element[1]);
                state.map.put(key, valueReader.read(buffer, 0, element[1].length));
            }
        }
        registered.put(
                descriptor.name(),
                new Registered(
                        descriptor.name(),
                        RedistributionMode.BROADCAST,
                        (StateSerializer<Object>) descriptor.userKeySerializer(),
                        (StateSerializer<Object>) descriptor.serializer(),
                        state));
        return state;
    }

    private Registered existing(String name, RedistributionMode mode) {
        if (closed) {
            throw new StateAccessException("operator state backend is closed: operator=" + operatorId);
        }
        Registered existing = registered.get(name);
        if (existing != null) {
            checkMode(name, existing.mode(), mode);
        }
        return existing;
    }

    private void checkMode(String name, RedistributionMode old, RedistributionMode now) {
        if (old != now) {
            throw new StateAccessException("operator state redistribution mode changed: state=" + name + ", operator="
                    + operatorId + ", old=" + old + ", new=" + now);
        }
    }

    @Override
    public Callable<OperatorStateHandle> snapshot(long checkpointId, SnapshotStorage storage) {
        List<Registered> states = new ArrayList<>(registered.values());
        List<Object> copies = new ArrayList<>(states.size());
        for (Registered state : states) {
            if (state.state() instanceof OperatorListState<?> list) {
                copies.add(new ArrayList<>(list.elements));
            } else {
                copies.add(new HashMap<>(((BroadcastMapState<?, ?>) state.state()).map));
            }
        }
        Map<String, Restored> carried = new LinkedHashMap<>(restored);
        return () -> write(checkpointId, storage, states, copies, carried);
    }

    @SuppressWarnings("unchecked")
    private OperatorStateHandle write(
            long checkpointId,
            SnapshotStorage storage,
            List<Registered> states,
            List<Object> copies,
            Map<String, Restored> carried) {
        SnapshotOutput output =
                storage.createOutput("operator-" + operatorId + "-chk" + checkpointId, KeyGroupRange.EMPTY, false);
        try {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(output, 1 << 14));
            out.writeInt(OperatorStateFormat.MAGIC);
            out.writeInt(OperatorStateFormat.VERSION);
            out.writeInt(states.size() + carried.size());
            ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
            for (int i = 0; i < states.size(); i++) {
                Registered state = states.get(i);
                out.writeUTF(state.name());
                out.writeByte(state.mode().ordinal());
                SerializerSnapshots.write(state.first().snapshot(), out);
                if (state.second() != null) {
                    SerializerSnapshots.write(state.second().snapshot(), out);
                }
                if (copies.get(i) instanceof List<?> list) {
                    out.writeInt(list.size());
                    for (Object element : list) {
                        writePart(out, buffer, state.first(), element);
                    }
                } else {
                    Map<Object, Object> map = (Map<Object, Object>) copies.get(i);
                    out.writeInt(map.size());
                    for (Map.Entry<Object, Object> entry : map.entrySet()) {
                        writePart(out, buffer, state.first(), entry.getKey());
                        writePart(out, buffer, state.second(), entry.getValue());
                    }
                }
            }
            for (Map.Entry<String, Restored> entry : carried.entrySet()) {
                Restored state = entry.getValue();
                out.writeUTF(entry.getKey());
                out.writeByte(state.mode().ordinal());
                SerializerSnapshots.write(state.first(), out);
                if (state.second() != null) {
                    SerializerSnapshots.write(state.second(), out);
                }
                out.writeInt(state.elements().size());
                for (byte[][] element : state.elements()) {
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
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new io.tidemark.StorageIOException("writing operator state failed: operator=" + operatorId, e);
        }
    }

    private static void writePart(
            DataOutputStream out, ExpandableArrayBuffer buffer, StateSerializer<Object> serializer, Object value)
            throws IOException {
        int length = serializer.write(value, buffer, 0);
        out.writeInt(length);
        out.write(buffer.byteArray(), 0, length);
    }

    @Override
    public void restore(List<OperatorStateHandle> handles, SnapshotReader reader, int index, int parallelism) {
        if (!registered.isEmpty() || !restored.isEmpty()) {
            throw new StateAccessException(
                    "restore must come before any operator state is used: operator=" + operatorId);
        }
        ClassLoader classLoader = Thread.currentThread().getContextClassLoader();
        Map<String, RedistributionMode> modes = new LinkedHashMap<>();
        Map<String, SerializerSnapshot<?>[]> snapshots = new HashMap<>();
        Map<String, List<List<byte[][]>>> perHandle = new LinkedHashMap<>();
        for (int h = 0; h < handles.size(); h++) {
            StreamHandle stream = handles.get(h).stream();
            for (Map.Entry<String, Restored> state :
                    readStream(stream, reader, classLoader).entrySet()) {
                modes.putIfAbsent(state.getKey(), state.getValue().mode());
                snapshots.putIfAbsent(state.getKey(), new SerializerSnapshot<?>[] {
                    state.getValue().first(), state.getValue().second()
                });
                List<List<byte[][]>> lists = perHandle.computeIfAbsent(state.getKey(), k -> new ArrayList<>());
                while (lists.size() < h) {
                    lists.add(List.of());
                }
                lists.add(state.getValue().elements());
            }
        }
        for (Map.Entry<String, List<List<byte[][]>>> state : perHandle.entrySet()) {
            RedistributionMode mode = modes.get(state.getKey());
            SerializerSnapshot<?>[] serializers = snapshots.get(state.getKey());
            List<byte[][]> mine = OperatorStateDistribution.select(mode, state.getValue(), index, parallelism);
            restored.put(state.getKey(), new Restored(mode, serializers[0], serializers[1], mine));
        }
    }

    private Map<String, Restored> readStream(StreamHandle stream, SnapshotReader reader, ClassLoader classLoader) {
        Map<String, Restored> states = new LinkedHashMap<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(reader.open(stream, 0)))) {
            int magic = in.readInt();
            if (magic != OperatorStateFormat.MAGIC) {
                throw new CorruptCheckpointException(
                        "not an operator state stream",
                        stream.name(),
                        0,
                        Integer.toHexString(OperatorStateFormat.MAGIC),
                        Integer.toHexString(magic));
            }
            int version = in.readInt();
            if (version != OperatorStateFormat.VERSION) {
                throw new CorruptCheckpointException(
                        "operator state version not supported", stream.name(), 4, OperatorStateFormat.VERSION, version);
            }
            int count = in.readInt();
            checkCount(stream, "state count", count, 1 << 16);
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                int modeOrdinal = in.readByte();
                RedistributionMode[] modes = RedistributionMode.values();
                if (modeOrdinal < 0 || modeOrdinal >= modes.length) {
                    throw new CorruptCheckpointException(
                            "unknown redistribution mode", stream.name(), -1, "[0, " + modes.length + ")", modeOrdinal);
                }
                RedistributionMode mode = modes[modeOrdinal];
                SerializerSnapshot<?> first = SerializerSnapshots.read(in, classLoader);
                SerializerSnapshot<?> second =
                        mode == RedistributionMode.BROADCAST ? SerializerSnapshots.read(in, classLoader) : null;
                int elements = in.readInt();
                checkCount(stream, "element count", elements, OperatorStateFormat.MAX_ELEMENTS);
                int parts = mode == RedistributionMode.BROADCAST ? 2 : 1;
                List<byte[][]> list = new ArrayList<>(Math.min(elements, 1024));
                for (int e = 0; e < elements; e++) {
                    byte[][] element = new byte[parts][];
                    for (int p = 0; p < parts; p++) {
                        int length = in.readInt();
                        checkCount(stream, "element length", length, (int)
                                Math.min(OperatorStateFormat.MAX_ELEMENT_LENGTH, stream.length()));
                        element[p] = new byte[length];
                        in.readFully(element[p]);
                    }
                    list.add(element);
                }
                states.put(name, new Restored(mode, first, second, list));
            }
            return states;
        } catch (EOFException e) {
            throw new CorruptCheckpointException(
                    "operator state truncated", stream.name(), stream.length(), "more bytes", "end of stream");
        } catch (SerializationException e) {
            throw new CorruptCheckpointException(
                    "operator state serializer snapshot invalid", stream.name(), -1, "valid snapshot", e.getMessage());
        } catch (IOException e) {
            throw new CorruptCheckpointException(
                    "operator state unreadable", stream.name(), -1, "readable stream", e.toString());
        }
    }

    private static void checkCount(StreamHandle stream, String what, int value, int max) {
        if (value < 0 || value > max) {
            throw new CorruptCheckpointException(
                    "operator state " + what + " out of range", stream.name(), -1, "[0, " + max + "]", value);
        }
    }

    @Override
    public List<String> stateNames() {
        List<String> names = new ArrayList<>(registered.keySet());
        names.addAll(restored.keySet());
        return names;
    }

    @Override
    public void close() {
        closed = true;
    }
}
