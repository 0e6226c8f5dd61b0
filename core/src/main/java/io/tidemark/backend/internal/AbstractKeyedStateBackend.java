package io.tidemark.backend.internal;

import io.tidemark.ConfigurationException;
import io.tidemark.IncompatibleStateException;
import io.tidemark.StateAccessException;
import io.tidemark.backend.KeyedBackendParameters;
import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.backend.NamespacedState;
import io.tidemark.backend.VoidNamespace;
import io.tidemark.backend.VoidNamespaceSerializer;
import io.tidemark.backend.canonical.CanonicalFormat;
import io.tidemark.backend.canonical.CanonicalSnapshotReader;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.SnapshotKind;
import io.tidemark.backend.snapshot.SnapshotReader;
import io.tidemark.backend.snapshot.SnapshotStorage;
import io.tidemark.backend.snapshot.StateMetaInfo;
import io.tidemark.keygroup.KeyGroupAssignment;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.keygroup.StableKeyHash;
import io.tidemark.serialization.SerializerSnapshot;
import io.tidemark.serialization.SerializerSnapshots;
import io.tidemark.serialization.StateSerializer;
import io.tidemark.state.State;
import io.tidemark.state.StateDescriptor;
import io.tidemark.state.StateTtlConfig;
import io.tidemark.state.StateType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What every keyed backend shares: the current key and key group, state registration with TTL, reducing and
 * aggregating composed over value state, compatibility checks and migration of restored state, and the canonical
 * snapshot format. A backend supplies the five internal state shapes (value, list, map, long, double) and a frozen view
 * of its entries for snapshots.
 *
 * @param <K> the partition key type
 */
public abstract class AbstractKeyedStateBackend<K> implements KeyedStateBackend<K> {
    protected final KeyedBackendParameters<K> parameters;
    protected final TtlTime ttlTime;
    private final List<RegisteredKeyedState> registered = new ArrayList<>();
    private final Map<String, RegisteredKeyedState> byName = new LinkedHashMap<>();
    private final Map<String, RestoredKeyedState> restored = new LinkedHashMap<>();
    private K currentKey;
    private Class<?> stableKeyClass;
    private boolean unboxedKey;
    private long unboxedKeyValue;
    private int currentKeyGroup = -1;
    private boolean closed;

    protected AbstractKeyedStateBackend(KeyedBackendParameters<K> parameters) {
        this.parameters = parameters;
        this.ttlTime = new TtlTime(parameters.clock());
    }

    // ---- backend-specific parts ----

    protected abstract <N, T> InternalValueState<N, T> createValueState(
            int index, String name, StateSerializer<N> namespaceSerializer, StateSerializer<T> valueSerializer);

    protected abstract <N, T> InternalListState<N, T> createListState(
            int index, String name, StateSerializer<N> namespaceSerializer, StateSerializer<T> elementSerializer);

    protected abstract <N, UK, UV> InternalMapState<N, UK, UV> createMapState(
            int index,
            String name,
            StateSerializer<N> namespaceSerializer,
            StateSerializer<UK> userKeySerializer,
            StateSerializer<UV> valueSerializer);

    protected abstract <N> InternalLongState<N> createLongState(
            int index, String name, StateSerializer<N> namespaceSerializer, long defaultValue);

    protected abstract <N> InternalDoubleState<N> createDoubleState(
            int index, String name, StateSerializer<N> namespaceSerializer, double defaultValue);

    /** Synchronous part of a canonical snapshot: freeze the current entries of every registered state. */
    protected abstract SnapshotSource captureSnapshotSource();

    /**
     * Passes to {@code sink} the key of every live entry of registered state {@code stateIndex} (once per entry: a key
     * stored under several namespaces or map entries may come several times). Owner thread; {@code sink} does not call
     * back into this backend. Backs {@link #forEachKey}.
     */
    protected abstract void forEachEntryKey(int stateIndex, Consumer<K> sink);

    /** Called after the current key changed; backends that pre-serialize keys do it here. */
    protected void onCurrentKeyChanged(K key, int keyGroup) {}

    // ---- KeyedStateBackend ----

    @Override
    public KeyGroupRange keyGroupRange() {
        return parameters.keyGroupRange();
    }

    @Override
    public int maxParallelism() {
        return parameters.maxParallelism();
    }

    @Override
    public StateSerializer<K> keySerializer() {
        return parameters.keySerializer();
    }

    @Override
    public void setCurrentKey(K key) {
        if (key.getClass() != stableKeyClass) {
            StableKeyHash.checkKeyClass(key.getClass(), "operator=" + parameters.operatorId());
            stableKeyClass = key.getClass();
        }
        int keyGroup = KeyGroupAssignment.assignToKeyGroup(key, parameters.maxParallelism());
        if (!parameters.keyGroupRange().contains(keyGroup)) {
            throw new StateAccessException("key outside this backend's key groups: key=" + key + ", keyGroup="
                    + keyGroup + ", range=" + parameters.keyGroupRange() + ", operator=" + parameters.operatorId());
        }
        currentKey = key;
        unboxedKey = false;
        currentKeyGroup = keyGroup;
        onCurrentKeyChanged(key, keyGroup);
    }

    /**
     * For backends that take {@code long} keys without boxing ({@link #setCurrentKey(long)}): checks the key group and
     * makes the key current; {@link #currentKey()} boxes it on demand unless {@code boxed} is given. Does not call
     * {@link #onCurrentKeyChanged}: the caller prepares its own per-key state. No allocation.
     *
     * @throws StateAccessException if the key group is outside this backend's range
     */
    protected final void setCurrentLongKey(long key, int keyGroup, K boxed) {
        if (!parameters.keyGroupRange().contains(keyGroup)) {
            throw new StateAccessException("key outside this backend's key groups: key=" + key + ", keyGroup="
                    + keyGroup + ", range=" + parameters.keyGroupRange() + ", operator=" + parameters.operatorId());
        }
        currentKey = boxed;
        unboxedKey = boxed == null;
        unboxedKeyValue = key;
        currentKeyGroup = keyGroup;
    }

    @Override
    public <R> R readOnly(Supplier<R> reads) {
        boolean previous = ttlTime.setReadOnly(true);
        try {
            return reads.get();
        } finally {
            ttlTime.setReadOnly(previous);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public K currentKey() {
        if (unboxedKey) {
            currentKey = (K) Long.valueOf(unboxedKeyValue);
            unboxedKey = false;
        }
        return currentKey;
    }

    @Override
    public int currentKeyGroup() {
        return currentKeyGroup;
    }

    /** Throws when no key is current; backends call it before touching keyed state. */
    protected final void checkKey(String stateName) {
        if (currentKey == null && !unboxedKey) {
            throw new StateAccessException("keyed state used without a current key: state=" + stateName + ", operator="
                    + parameters.operatorId());
        }
    }

    @Override
    public void setCurrentWatermark(long watermark) {
        ttlTime.setWatermark(watermark);
    }

    @Override
    public List<String> stateNames() {
        List<String> names = new ArrayList<>(byName.keySet());
        for (String name : restored.keySet()) {
            if (!byName.containsKey(name)) {
                names.add(name);
            }
        }
        return names;
    }

    @Override
    public final void forEachKey(String stateName, Consumer<? super K> action) {
        checkOpen();
        RegisteredKeyedState state = byName.get(stateName);
        if (state == null) {
            throw new StateAccessException("keys asked of a state that is not registered: state=" + stateName
                    + ", registered=" + byName.keySet() + ", operator=" + parameters.operatorId());
        }
        Set<K> keys = new LinkedHashSet<>();
        forEachEntryKey(state.index(), keys::add);
        for (K key : keys) {
            action.accept(key);
        }
    }

    /** The registered states in index order. */
    protected final List<RegisteredKeyedState> registeredStates() {
        return registered;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <N, S extends State> S getOrCreateKeyedState(
            StateSerializer<N> namespaceSerializer, StateDescriptor<S, ?> descriptor) {
        checkOpen();
        RegisteredKeyedState existing = byName.get(descriptor.name());
        if (existing != null) {
            if (existing.type() != descriptor.type()) {
                throw new StateAccessException("state registered twice with different types: state=" + descriptor.name()
                        + ", first=" + existing.type() + ", now=" + descriptor.type());
            }
            return (S) existing.userState();
        }
        RegisteredKeyedState state = StateComposer.compose(this, registered.size(), namespaceSerializer, descriptor);
        RestoredKeyedState restoredState = restored.remove(descriptor.name());
        if (restoredState != null) {
            loadRestored(state, restoredState);
        }
        registered.add(state);
        byName.put(state.name(), state);
        if (namespaceSerializer instanceof VoidNamespaceSerializer) {
            // through the user state: wrappers that track their namespace (merging states) see it too
            ((NamespacedState<Object>) state.userState()).setCurrentNamespace(VoidNamespace.INSTANCE);
        }
        return (S) state.userState();
    }

    // package-private factory access for StateComposer
    <N, T> InternalValueState<N, T> newValueState(int index, String name, StateSerializer<N> ns, StateSerializer<T> v) {
        return createValueState(index, name, ns, v);
    }

    <N, T> InternalListState<N, T> newListState(int index, String name, StateSerializer<N> ns, StateSerializer<T> e) {
        return createListState(index, name, ns, e);
    }

    <N, UK, UV> InternalMapState<N, UK, UV> newMapState(
            int index, String name, StateSerializer<N> ns, StateSerializer<UK> uk, StateSerializer<UV> uv) {
        return createMapState(index, name, ns, uk, uv);
    }

    <N> InternalLongState<N> newLongState(int index, String name, StateSerializer<N> ns, long defaultValue) {
        return createLongState(index, name, ns, defaultValue);
    }

    <N> InternalDoubleState<N> newDoubleState(int index, String name, StateSerializer<N> ns, double defaultValue) {
        return createDoubleState(index, name, ns, defaultValue);
    }

    TtlTime ttlTime() {
        return ttlTime;
    }

    // ---- snapshots ----

    @Override
    public Callable<KeyedStateHandle> snapshot(long checkpointId, SnapshotKind kind, SnapshotStorage storage) {
        checkOpen();
        List<StateMetaInfo> metas = new ArrayList<>();
        List<RegisteredKeyedState> states = List.copyOf(registered);
        long[] ttlNow = new long[states.size()];
        for (RegisteredKeyedState state : states) {
            metas.add(state.metaInfo());
            ttlNow[state.index()] = state.ttl() == null ? 0 : ttlTime.now(state.ttl());
        }
        List<RestoredKeyedState> carried = new ArrayList<>(restored.values());
        for (RestoredNativeState state : carriedNatively()) {
            RestoredKeyedState copy = new RestoredKeyedState(state.meta());
            for (int i = 0; i < state.entries().size(); i++) {
                byte[][] entry = state.entries().get(i);
                copy.add(new RestoredKeyedState.Entry(state.keyGroups()[i], entry[0], entry[1], entry[2]));
            }
            carried.add(copy);
        }
        for (RestoredKeyedState state : carried) {
            metas.add(state.meta);
        }
        SnapshotSource source = captureSnapshotSource();
        CanonicalSnapshotTask<K> task = new CanonicalSnapshotTask<>(
                parameters,
                checkpointId,
                kind == SnapshotKind.CANONICAL,
                states,
                carried,
                metas,
                ttlNow,
                source,
                storage);
        return task::run;
    }

    // ---- restore ----

    @Override
    public void restore(List<KeyedStateHandle> handles, SnapshotReader reader) {
        checkOpen();
        if (!registered.isEmpty() || !restored.isEmpty()) {
            throw new StateAccessException(
                    "restore must come before any state is used: operator=" + parameters.operatorId());
        }
        ClassLoader classLoader = Thread.currentThread().getContextClassLoader();
        KeyMigration<K> keyMigration =
                new KeyMigration<>(parameters.keySerializer(), parameters.maxParallelism(), keyGroupRange());
        for (KeyedStateHandle handle : handles) {
            if (handle.keyGroupRange().intersection(keyGroupRange()).isEmpty()) {
                continue;
            }
            if (!CanonicalFormat.FORMAT_NAME.equals(handle.format())) {
                restoreNative(handle, reader);
                continue;
            }
            CanonicalSnapshotReader.Header header = CanonicalSnapshotReader.readHeader(handle, reader, classLoader);
            checkMaxParallelism(header.maxParallelism());
            StateSerializer<K> keyReader = checkKeySerializer(header.keySerializer());
            boolean migrateKeys = keyReader != parameters.keySerializer();
            List<RestoredKeyedState> byIndex = new ArrayList<>(header.states().size());
            for (StateMetaInfo meta : header.states()) {
                byIndex.add(restored.computeIfAbsent(meta.name(), name -> new RestoredKeyedState(meta)));
            }
            CanonicalSnapshotReader.readKeyGroups(
                    handle, reader, keyGroupRange(), byIndex.size(), (stateIndex, keyGroup, key, namespace, value) -> {
                        RestoredKeyedState state = byIndex.get(stateIndex);
                        RestoredKeyedState.Entry entry = new RestoredKeyedState.Entry(keyGroup, key, namespace, value);
                        state.add(migrateKeys ? keyMigration.migrate(keyReader, state.meta.name(), entry) : entry);
                    });
        }
    }

    /**
     * A state restored and held by the backend itself (not registered yet), in canonical bytes: {@code entries[i]} is
     * {@code {key, namespace, value}} of key group {@code keyGroups[i]}.
     */
    public record RestoredNativeState(StateMetaInfo meta, int[] keyGroups, List<byte[][]> entries) {}

    /**
     * States a backend restored natively and holds itself until they are registered; a canonical snapshot carries
     * them like the states this class holds. Called on the owner thread by {@link #snapshot}; default none.
     */
    protected List<RestoredNativeState> carriedNatively() {
        return List.of();
    }

    /** Restores a handle in this backend's native format; the base knows only the canonical one. */
    protected void restoreNative(KeyedStateHandle handle, SnapshotReader reader) {
        throw new StateAccessException("snapshot format not readable by this backend: format=" + handle.format()
                + ", backend=" + getClass().getSimpleName() + ", operator=" + parameters.operatorId());
    }

    protected final void checkMaxParallelism(int snapshotMaxParallelism) {
        if (snapshotMaxParallelism != parameters.maxParallelism()) {
            throw new ConfigurationException("restoring with a different maxParallelism is refused: snapshot="
                    + snapshotMaxParallelism + ", now=" + parameters.maxParallelism() + ", operator="
                    + parameters.operatorId());
        }
    }

    /**
     * The serializer that reads keys stored under {@code snapshot}: the registered key serializer when compatible as
     * is, the old format's restore serializer when the keys must be migrated.
     *
     * @throws IncompatibleStateException when the registered key serializer cannot read the stored keys
     */
    @SuppressWarnings("unchecked")
    protected final StateSerializer<K> checkKeySerializer(SerializerSnapshot<?> snapshot) {
        return SerializerSnapshots.readerFor(
                "<partition key of " + parameters.operatorId() + ">",
                "key",
                (SerializerSnapshot<K>) snapshot,
                parameters.keySerializer());
    }

    @SuppressWarnings("unchecked")
    private void loadRestored(RegisteredKeyedState state, RestoredKeyedState restoredState) {
        StateMetaInfo meta = restoredState.meta;
        if (meta.type() != state.type()) {
            throw new IncompatibleStateException(
                    "state shape changed: state=" + state.name() + ", old=" + meta.type() + ", new=" + state.type());
        }
        if (meta.ttl() != (state.ttl() != null)) {
            throw new IncompatibleStateException("state TTL setting changed: state=" + state.name() + ", old ttl="
                    + meta.ttl() + ", new ttl=" + (state.ttl() != null));
        }
        StateSerializer<Object> namespaceReader = SerializerSnapshots.readerFor(
                state.name(),
                "namespace",
                (SerializerSnapshot<Object>) meta.namespaceSerializer(),
                state.namespaceSerializer());
        StateSerializer<Object> valueReader = SerializerSnapshots.readerFor(
                state.name(), "value", (SerializerSnapshot<Object>) meta.valueSerializer(), state.valueSerializer());
        // keys were migrated to the current format while they were read (KeyMigration)
        StateSerializer<K> keyReader = parameters.keySerializer();
        K savedKey = currentKey();
        int savedKeyGroup = currentKeyGroup;
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
        for (RestoredKeyedState.Entry entry : restoredState.entries()) {
            K key = keyReader.read(wrap(buffer, entry.key()), 0, entry.key().length);
            Object namespace = namespaceReader.read(wrap(buffer, entry.namespace()), 0, entry.namespace().length);
            Object value = valueReader.read(wrap(buffer, entry.value()), 0, entry.value().length);
            setCurrentKey(key);
            state.internal().setCurrentNamespace(namespace);
            insert(state, value);
        }
        currentKey = savedKey;
        currentKeyGroup = savedKeyGroup;
        if (savedKey != null) {
            onCurrentKeyChanged(savedKey, savedKeyGroup);
        }
    }

    private static UnsafeBuffer wrap(UnsafeBuffer buffer, byte[] bytes) {
        buffer.wrap(bytes);
        return buffer;
    }

    @SuppressWarnings("unchecked")
    private static void insert(RegisteredKeyedState state, Object value) {
        NamespacedState<Object> internal = state.internal();
        switch (StateComposer.storageShape(state.type(), state.ttl() != null)) {
            case LIST -> ((InternalListState<Object, Object>) internal).update((List<Object>) value);
            case MAP -> ((InternalMapState<Object, Object, Object>) internal).putAll((Map<Object, Object>) value);
            case LONG_VALUE -> ((InternalLongState<Object>) internal).set((Long) value);
            case DOUBLE_VALUE -> ((InternalDoubleState<Object>) internal).set((Double) value);
            default -> ((InternalValueState<Object, Object>) internal).update(value);
        }
    }

    protected final void checkOpen() {
        if (closed) {
            throw new StateAccessException("keyed state backend is closed: operator=" + parameters.operatorId());
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    /** Allows TTL-aware callers to see the config of a registered state. */
    protected final StateTtlConfig ttlOf(int stateIndex) {
        return registered.get(stateIndex).ttl();
    }

    /** The storage shape of state {@code index}: VALUE, LIST, MAP, LONG_VALUE or DOUBLE_VALUE. */
    protected final StateType storageShapeOf(int stateIndex) {
        RegisteredKeyedState state = registered.get(stateIndex);
        return StateComposer.storageShape(state.type(), state.ttl() != null);
    }
}
