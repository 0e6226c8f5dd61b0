package io.tidemark.state.offheap;

import io.tidemark.ConfigurationException;
import io.tidemark.StateAccessException;
import io.tidemark.StateSizeException;
import io.tidemark.backend.KeyedBackendParameters;
import io.tidemark.backend.StateMemory;
import io.tidemark.backend.internal.AbstractKeyedStateBackend;
import io.tidemark.backend.internal.InternalDoubleState;
import io.tidemark.backend.internal.InternalListState;
import io.tidemark.backend.internal.InternalLongState;
import io.tidemark.backend.internal.InternalMapState;
import io.tidemark.backend.internal.InternalValueState;
import io.tidemark.backend.internal.RegisteredKeyedState;
import io.tidemark.backend.internal.SnapshotSource;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.SnapshotKind;
import io.tidemark.backend.snapshot.SnapshotReader;
import io.tidemark.backend.snapshot.SnapshotStorage;
import io.tidemark.keygroup.KeyGroupAssignment;
import io.tidemark.memory.PageSnapshot;
import io.tidemark.memory.PageStore;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.serialization.StateSerializer;
import io.tidemark.state.ttl.TtlValueSerializer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * The off-heap keyed backend: every state of every key group in its own hash tables in the pages of one
 * {@link PageStore} (see {@link StateTables}, {@link FixedTable}, {@link LogStore}).
 *
 * <h2>Threads</h2>
 *
 * The operator thread calls everything except the returned asynchronous snapshot parts, which run on one snapshot
 * thread each, one at a time: a snapshot's synchronous part waits for the previous asynchronous part if it still runs,
 * and supersedes one that never started.
 *
 * <h2>Allocation</h2>
 *
 * {@link #setCurrentKey} serializes the key once into a reusable buffer and hashes it; long and double state on
 * fixed-length keys and namespaces then read and write page memory directly, with no allocation in steady state.
 * Other states allocate when they deserialize values, never in the lookup.
 *
 * <h2>Snapshots</h2>
 *
 * {@code CANONICAL}: the common canonical format, read from the page snapshot of the synchronous part.
 * {@code FULL}/{@code INCREMENTAL}: {@value NativeSnapshotFormat#FORMAT_NAME}, raw pages per key group, incremental
 * against confirmed checkpoints ({@link UploadLedger}). States restored from a native checkpoint and not registered yet
 * stay in pages ({@link RestoredFusedStates}, {@link RestoredLogStates}) and are carried by every snapshot; while
 * states restored from a canonical snapshot are not registered yet, native snapshots are written canonical instead
 * (the common code holds those states, see {@link #snapshot}).
 */
public final class OffHeapKeyedStateBackend<K> extends AbstractKeyedStateBackend<K> {
    private final OffHeapBackendContext context;
    private final PageStore store;
    private final PageAccess access;
    private final StateSerializer<K> keySerializer;
    private final int firstKeyGroup;
    private final List<StateTables> tables = new ArrayList<>();
    /** The fused states without a namespace, the ones {@link #prefetch} touches. */
    private StateTables[] fixedStates = new StateTables[0];
    /** Where {@link #prefetch} folds the words it loads; never read. */
    private long touched;

    private final LogStore logs;
    /** The next log state id for a state registered (not restored). */
    private int nextLogStateId;

    /** Log states restored from a native checkpoint and not registered yet. */
    private final RestoredLogStates restoredLog = new RestoredLogStates();
    /** Fused states restored from a native checkpoint and not registered yet. */
    private final RestoredFusedStates restoredFused;
    /** Snapshots whose page snapshot has not ended yet, and the ledgers of their results. */
    private final SnapshotTickets tickets;

    private final boolean longKeys;
    private final int keyGroupMask;
    private int keyChanges;

    /**
     * The current key serialized; for long keys written on demand by {@link #keyBytes()} (the fused path reads
     * {@link #keyBits} and never needs the bytes).
     */
    final ExpandableArrayBuffer keyBuffer = new ExpandableArrayBuffer(64);

    int keyLength;
    private boolean keyBytesValid;
    /** The current key as a long when the key serializer is {@link LongSerializer}. */
    long keyBits;
    /** The key part of the fused-table hash of the current key (see {@link FixedTable}). */
    long fixedKeyHash;

    private long recordKeyHash;
    private boolean recordKeyHashValid;
    private int groupIndex;
    final ExpandableArrayBuffer readScratch = new ExpandableArrayBuffer(256);
    final ExpandableArrayBuffer writeScratch = new ExpandableArrayBuffer(256);

    OffHeapKeyedStateBackend(KeyedBackendParameters<K> parameters, OffHeapBackendContext context) {
        super(parameters);
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new ConfigurationException("the offheap backend needs a little-endian platform: nativeOrder="
                    + ByteOrder.nativeOrder() + ", allowed=LITTLE_ENDIAN");
        }
        this.context = context;
        this.store = PageStore.open(
                context.pageStoreContext(parameters.workingDirectory().resolve("offheap-pages")));
        this.access = new PageAccess(store);
        this.tickets = new SnapshotTickets(store);
        this.logs = new LogStore(store, this, context.residentBudget(), context.residentBudget() / 32);
        this.logs.compactor = new LogCompactor(logs, new LogExpiry());
        this.logs.mutableBytes = context.residentBudget() / 4;
        this.keySerializer = parameters.keySerializer();
        this.firstKeyGroup = parameters.keyGroupRange().startKeyGroup();
        this.restoredFused = new RestoredFusedStates(
                firstKeyGroup, parameters.keyGroupRange().size());
        this.longKeys = keySerializer == LongSerializer.INSTANCE;
        final int maxParallelism = parameters.maxParallelism();
        this.keyGroupMask = Integer.bitCount(maxParallelism) == 1 ? maxParallelism - 1 : -1;
    }

    // ---- current key ----

    /**
     * Allocation-free: the key group by Flink's formula (a mask when {@code maxParallelism} is a power of two, the same
     * result), no serializer call, and the fused-table hash folded from the key-group murmur (one mix, one multiply).
     */
    @Override
    public void setCurrentKey(long key) {
        if (!longKeys) {
            super.setCurrentKey(key); // refuses, naming the key serializer
            return;
        }
        setLongKey(key, null);
    }

    @Override
    public void setCurrentKey(K key) {
        if (longKeys && key != null) {
            setLongKey((Long) key, key);
            return;
        }
        super.setCurrentKey(key);
    }

    /**
     * Loads the home slot of {@code key}'s entry in each fused table without a namespace (where the key's next
     * access will miss the cache first); record states are not touched. The loaded words go into {@link #touched},
     * which nothing reads, so the loads are not eliminated.
     */
    @Override
    public void prefetch(long key) {
        if (!longKeys) {
            return;
        }
        final int murmur = KeyGroupAssignment.murmurHash(Long.hashCode(key));
        final int group = (keyGroupMask >= 0 ? murmur & keyGroupMask : murmur % maxParallelism()) - firstKeyGroup;
        if (group < 0 || group >= keyGroupRange().size()) {
            return;
        }
        final long hash = FixedTable.longKeyHash(key, murmur);
        long words = 0;
        for (int i = 0; i < fixedStates.length; i++) {
            words += fixedStates[i].touch(group, hash);
        }
        touched += words;
    }

    private void setLongKey(long key, K boxed) {
        final int murmur = KeyGroupAssignment.murmurHash(Long.hashCode(key));
        final int keyGroup = keyGroupMask >= 0 ? murmur & keyGroupMask : murmur % maxParallelism();
        setCurrentLongKey(key, keyGroup, boxed);
        keyBits = key;
        keyLength = Long.BYTES;
        keyBytesValid = false;
        fixedKeyHash = FixedTable.longKeyHash(key, murmur);
        recordKeyHashValid = false;
        groupIndex = keyGroup - firstKeyGroup;
        pollSnapshot();
    }

    @Override
    protected void onCurrentKeyChanged(K key, int keyGroup) {
        if (longKeys) {
            setLongKey((Long) key, key); // the base restores a saved key this way
            return;
        }
        keyLength = keySerializer.write(key, keyBuffer, 0);
        keyBytesValid = true;
        keyBits = 0;
        recordKeyHash = Hashing.bytes(keyBuffer, 0, keyLength);
        fixedKeyHash = recordKeyHash;
        recordKeyHashValid = true;
        groupIndex = keyGroup - firstKeyGroup;
        pollSnapshot();
    }

    /** The current key's bytes ({@link #keyLength} of them), for record tables. */
    DirectBuffer keyBytes() {
        if (!keyBytesValid) {
            keyBuffer.putLong(0, keyBits, ByteOrder.LITTLE_ENDIAN);
            keyBytesValid = true;
        }
        return keyBuffer;
    }

    /** The record-table hash of the current key ({@link Hashing#bytes} of its bytes), computed once per key. */
    long recordKeyHash() {
        if (!recordKeyHashValid) {
            recordKeyHash = Hashing.bytes(keyBytes(), 0, keyLength);
            recordKeyHashValid = true;
        }
        return recordKeyHash;
    }

    /**
     * Every 1,024 key changes, ends the page snapshot of a finished asynchronous part, so that copy-on-write and side
     * pages stop early; checking on every key would put a volatile read on the hot path.
     */
    private void pollSnapshot() {
        if ((++keyChanges & 1023) == 0) {
            if (!tickets.isEmpty()) {
                tickets.poll(false);
            }
            logs.idle();
        }
    }

    /** TTL decisions for compaction, from core's TTL time and each registered state's TTL config. */
    private final class LogExpiry implements LogCompactor.Expiry {
        private StateTables byLogId(int logStateId) {
            for (StateTables state : tables) {
                if (state.logStateId == logStateId) {
                    return state;
                }
            }
            return null;
        }

        @Override
        public boolean expired(int logStateId, long timestamp) {
            final StateTables state = byLogId(logStateId);
            if (state == null || (state.recordFlags & LogRecord.TTL) == 0 || timestamp == Long.MIN_VALUE) {
                return false;
            }
            final io.tidemark.state.StateTtlConfig config = ttlOf(state.stateIndex);
            return config != null && ttlTime.isExpired(timestamp, ttlTime.now(config), config);
        }

        @Override
        public boolean expiredForAll(long timestamp) {
            boolean any = false;
            for (StateTables state : tables) {
                if ((state.recordFlags & LogRecord.TTL) != 0) {
                    any = true;
                    if (!expired(state.logStateId, timestamp)) {
                        return false;
                    }
                }
            }
            return any;
        }

        @Override
        public int elementFixed(int logStateId) {
            final StateTables state = byLogId(logStateId);
            return state == null ? -1 : state.valueFixed;
        }
    }

    int groupIndex() {
        return groupIndex;
    }

    void checkKeyFor(String stateName) {
        checkKey(stateName);
    }

    PageAccess access() {
        return access;
    }

    LogStore logs() {
        return logs;
    }

    /** User keys of map state: at most {@code min(maxKeyBytes, 65,535)} bytes (a u16 in the record header). */
    void checkUserKeySize(String stateName, int userKeyLength) {
        final int limit = Math.min(context.maxKeyBytes(), LogRecord.MAX_PART);
        if (userKeyLength > limit) {
            throw new StateSizeException(
                    "user key too large: state=" + stateName + ", size=" + userKeyLength + ", limit=" + limit);
        }
    }

    int maxKeyBytes() {
        return context.maxKeyBytes();
    }

    int maxValueBytes() {
        return context.maxValueBytes();
    }

    void checkSizes(String stateName, int keyAndNamespaceLength, int valueLength) {
        if (keyAndNamespaceLength > context.maxKeyBytes()) {
            throw new StateSizeException("key too large: state=" + stateName + ", size=" + keyAndNamespaceLength
                    + " (key + namespace bytes), limit=" + context.maxKeyBytes());
        }
        if (valueLength > context.maxValueBytes()) {
            throw new StateSizeException("value too large: state=" + stateName + ", size=" + valueLength + ", limit="
                    + context.maxValueBytes());
        }
    }

    // ---- states ----

    private StateTables add(StateTables stateTables) {
        if (stateTables.stateIndex != tables.size()) {
            throw new IllegalStateException(
                    "state index out of order: index=" + stateTables.stateIndex + ", states=" + tables.size());
        }
        tables.add(stateTables);
        if (stateTables.fixed && stateTables.namespaceLength == 0) {
            fixedStates = java.util.Arrays.copyOf(fixedStates, fixedStates.length + 1);
            fixedStates[fixedStates.length - 1] = stateTables;
        }
        return stateTables;
    }

    /** A state in the log, under a new log state id. */
    private StateTables logTables(
            int index,
            String name,
            byte shape,
            StateSerializer<?> namespaceSerializer,
            StateSerializer<?> storedSerializer,
            StateSerializer<?> valueSerializer) {
        restoredFused.refuseLog(name);
        final RestoredLogStates.Binding restored = restoredLog.bind(name, shape, namespaceSerializer, storedSerializer);
        final StateTables state = add(new StateTables(
                this,
                index,
                name,
                restored != null ? restored.logStateId() : nextLogStateId++,
                shape,
                valueSerializer instanceof TtlValueSerializer));
        state.valueFixed = valueSerializer.fixedLength();
        return state;
    }

    /** Fused tables when key, namespace and value have fixed lengths, the log otherwise. */
    private StateTables tablesFor(
            int index, String name, StateSerializer<?> namespaceSerializer, StateSerializer<?> valueSerializer) {
        final int keyFixed = keySerializer.fixedLength();
        final int namespaceFixed = namespaceSerializer.fixedLength();
        final int valueLength = valueSerializer == null ? Long.BYTES : valueSerializer.fixedLength();
        if (keyFixed > 0 && namespaceFixed >= 0 && valueLength > 0) {
            final FixedTable.Geometry geometry =
                    FixedTable.Geometry.of(access.pageSize, keyFixed, namespaceFixed, valueLength);
            if (geometry.slotsPerPage() >= 2) {
                restoredLog.refuseFused(name);
                final FixedTable[] restored = restoredFused.bind(name, geometry, namespaceSerializer, valueSerializer);
                final StateTables state =
                        add(new StateTables(this, index, name, keyFixed, namespaceFixed, valueLength, longKeys));
                for (int g = 0; restored != null && g < restored.length; g++) {
                    if (restored[g] != null) {
                        state.restoreTable(g, restored[g]);
                    }
                }
                return state;
            }
        }
        return logTables(
                index,
                name,
                StateTables.SHAPE_VALUE,
                namespaceSerializer,
                valueSerializer,
                valueSerializer == null ? io.tidemark.serialization.LongSerializer.INSTANCE : valueSerializer);
    }

    @Override
    protected <N, T> InternalValueState<N, T> createValueState(
            int index, String name, StateSerializer<N> namespaceSerializer, StateSerializer<T> valueSerializer) {
        return new OffHeapValueState<>(
                this,
                tablesFor(index, name, namespaceSerializer, valueSerializer),
                namespaceSerializer,
                valueSerializer);
    }

    @Override
    protected <N, T> InternalListState<N, T> createListState(
            int index, String name, StateSerializer<N> namespaceSerializer, StateSerializer<T> elementSerializer) {
        return new OffHeapListState<>(
                this,
                logTables(
                        index,
                        name,
                        StateTables.SHAPE_LIST,
                        namespaceSerializer,
                        new io.tidemark.serialization.ListSerializer<>(elementSerializer),
                        elementSerializer),
                namespaceSerializer,
                elementSerializer);
    }

    @Override
    protected <N, UK, UV> InternalMapState<N, UK, UV> createMapState(
            int index,
            String name,
            StateSerializer<N> namespaceSerializer,
            StateSerializer<UK> userKeySerializer,
            StateSerializer<UV> valueSerializer) {
        final StateTables state = logTables(
                index,
                name,
                StateTables.SHAPE_MAP,
                namespaceSerializer,
                new io.tidemark.serialization.MapSerializer<>(userKeySerializer, valueSerializer),
                valueSerializer);
        state.userKeyFixed = userKeySerializer.fixedLength();
        return new OffHeapMapState<>(this, state, namespaceSerializer, userKeySerializer, valueSerializer);
    }

    @Override
    protected <N> InternalLongState<N> createLongState(
            int index, String name, StateSerializer<N> namespaceSerializer, long defaultValue) {
        return new OffHeapLongState<>(
                this, tablesFor(index, name, namespaceSerializer, null), namespaceSerializer, defaultValue);
    }

    @Override
    protected <N> InternalDoubleState<N> createDoubleState(
            int index, String name, StateSerializer<N> namespaceSerializer, double defaultValue) {
        return new OffHeapDoubleState<>(
                this, tablesFor(index, name, namespaceSerializer, null), namespaceSerializer, defaultValue);
    }

    // ---- snapshots ----

    /**
     * Synchronous part, O(1) in the number of entries: an epoch bump of the page store (never waiting for an earlier
     * asynchronous part, which may still run), an O(1) copy-on-write capture of each table's page list (one small
     * object per (state, key group) table), and the states' meta data. Which pages to write and which to reference is
     * decided by the asynchronous part. A native snapshot is written canonical while states restored from a canonical
     * snapshot await registration (states restored natively are carried as they are). At the page store's limit of
     * snapshots in flight ({@code maxSnapshotsInFlight}), the oldest whose asynchronous part has not started is
     * superseded (cancelled); if all of them run, the limit error is raised.
     */
    @Override
    public Callable<KeyedStateHandle> snapshot(long checkpointId, SnapshotKind kind, SnapshotStorage storage) {
        checkOpen();
        if (kind == SnapshotKind.CANONICAL || super.stateNames().size() > tables.size()) {
            return super.snapshot(checkpointId, kind, storage);
        }
        tickets.makeRoom();
        final PageSnapshot pageSnapshot =
                kind == SnapshotKind.FULL ? store.beginSnapshot() : store.beginIncrementalSnapshot();
        final List<NativeSnapshotFormat.StateEntry> metas = new ArrayList<>();
        for (RegisteredKeyedState state : registeredStates()) {
            final StateTables t = tables.get(state.index());
            metas.add(new NativeSnapshotFormat.StateEntry(
                    state.metaInfo(), t.logStateId, t.shape, t.userKeyFixed, t.valueFixed));
        }
        metas.addAll(restoredLog.unbound());
        final List<RestoredFusedStates.State> fused = restoredFused.unbound();
        final int fusedBase = metas.size();
        for (RestoredFusedStates.State state : fused) {
            metas.add(state.entry());
        }
        final List<CapturedTable> captured = captureByKeyGroup(fused, fusedBase);
        final LogCapture log = LogCapture.of(logs.log);
        final SnapshotTicket next = new SnapshotTicket(pageSnapshot, true, checkpointId);
        tickets.add(next);
        final NativeSnapshotTask task = new NativeSnapshotTask(
                next,
                captured,
                tickets.ledger,
                kind == SnapshotKind.FULL,
                keyGroupRange(),
                parameters.operatorId(),
                store.pageSize(),
                maxParallelism(),
                keySerializer.snapshot(),
                metas,
                storage,
                log,
                full(kind) ? LogLedger.NONE : tickets.logLedger.confirmed());
        return task::call;
    }

    @Override
    public <N, S extends io.tidemark.state.State> S getOrCreateKeyedState(
            StateSerializer<N> namespaceSerializer, io.tidemark.state.StateDescriptor<S, ?> descriptor) {
        restoredLog.checkDescriptor(descriptor);
        restoredFused.checkDescriptor(descriptor);
        return super.getOrCreateKeyedState(namespaceSerializer, descriptor);
    }

    /**
     * Restored states nobody registered, in canonical bytes for a canonical snapshot, read on the owner thread (nothing
     * changes meanwhile) and held on the heap for this snapshot only: fused states from their tables' pages, log states
     * from the live log, one key group at a time.
     */
    @Override
    protected List<RestoredNativeState> carriedNatively() {
        final List<RestoredNativeState> carried = restoredFused.carry(access);
        if (!restoredLog.isEmpty()) {
            carried.addAll(restoredLog.carry(logs, keyGroupRange()));
        }
        return carried;
    }

    private static boolean full(SnapshotKind kind) {
        return kind == SnapshotKind.FULL;
    }

    /** Registered states and states restored but not registered yet, in the log or held by the common code. */
    @Override
    public List<String> stateNames() {
        final List<String> names = super.stateNames();
        names.addAll(restoredLog.names());
        for (String name : restoredFused.names()) {
            if (!names.contains(name)) {
                names.add(name); // also restored from a canonical handle: one state
            }
        }
        return names;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected SnapshotSource captureSnapshotSource() {
        tickets.makeRoom();
        final PageSnapshot pageSnapshot = store.beginSnapshot();
        final CapturedTable[][] captured = new CapturedTable[tables.size()][];
        for (StateTables state : tables) {
            final CapturedTable[] byGroup = new CapturedTable[keyGroupRange().size()];
            for (int g = 0; g < byGroup.length; g++) {
                final TablePages pages = state.pagesOf(g);
                byGroup[g] = pages == null ? null : pages.capture(state, firstKeyGroup + g);
            }
            captured[state.stateIndex] = byGroup;
        }
        final int[] logStateIds = new int[tables.size()];
        final byte[] shapes = new byte[tables.size()];
        for (StateTables state : tables) {
            logStateIds[state.stateIndex] = state.logStateId;
            shapes[state.stateIndex] = state.shape;
        }
        final LogCapture log = LogCapture.of(logs.log);
        final SnapshotTicket next = new SnapshotTicket(pageSnapshot, false, -1);
        tickets.add(next);
        return new CanonicalPageSource(
                next,
                captured,
                List.copyOf(registeredStates()),
                (StateSerializer<Object>) keySerializer.duplicate(),
                firstKeyGroup,
                store.pageSize(),
                log,
                keyGroupRange().size(),
                logStateIds,
                shapes);
    }

    /**
     * Fused states: each key group's live table pages, decoded as a canonical snapshot decodes captured ones. Log
     * states: the state's records replayed from the live log ({@link LogKeyScan}).
     */
    @Override
    protected void forEachEntryKey(int stateIndex, Consumer<K> sink) {
        final StateTables state = tables.get(stateIndex);
        final StateSerializer<K> keys = keySerializer;
        if (state.fixed) {
            final TableDecoder decoder = new TableDecoder(access.pageSize);
            for (int g = 0; g < keyGroupRange().size(); g++) {
                final TablePages pages = state.pagesOf(g);
                if (pages != null) {
                    decoder.decodeLive(
                            access, state.geometry, pages, (k, kl, n, nl, v, vl) -> sink.accept(keys.read(k, 0, kl)));
                }
            }
            return;
        }
        LogKeyScan.forEachLiveKey(
                logs,
                state.logStateId,
                firstKeyGroup,
                keyGroupRange().size(),
                (k, kl) -> sink.accept(keys.read(k, 0, kl)));
    }

    /**
     * Every table's directory, key group after key group: the registered states', then those of the unbound restored
     * fused states, which are states {@code fusedBase + i} of the payload.
     */
    private List<CapturedTable> captureByKeyGroup(List<RestoredFusedStates.State> fused, int fusedBase) {
        final List<CapturedTable> captured = new ArrayList<>();
        for (int g = 0; g < keyGroupRange().size(); g++) {
            for (StateTables state : tables) {
                final TablePages pages = state.pagesOf(g);
                if (pages != null) {
                    captured.add(pages.capture(state, firstKeyGroup + g));
                }
            }
            for (int i = 0; i < fused.size(); i++) {
                final FixedTable table = fused.get(i).tables()[g];
                if (table != null) {
                    captured.add(table.pages().capture(fusedBase + i, firstKeyGroup + g, table.geometry()));
                }
            }
        }
        return captured;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        checkOpen();
        tickets.completed(checkpointId);
    }

    @Override
    public void notifyCheckpointAborted(long checkpointId) {
        checkOpen();
        tickets.aborted(checkpointId);
    }

    // ---- restore ----

    /**
     * Restores native handles natively, never through the heap: of the key groups of this backend, the fused tables'
     * pages are copied into new pages ({@link FusedRestore}) and the log's records re-appended ({@link LogRestore}).
     * Restored states bind to their tables or records when registered ({@link RestoredFusedStates},
     * {@link RestoredLogStates}); until then every snapshot carries them. Canonical handles go through the common path.
     *
     * @throws io.tidemark.CorruptCheckpointException naming the stream and offset of what does not verify
     * @throws io.tidemark.IncompatibleStateException if the key serializer needs a migration (native checkpoints do
     *     not migrate), or for a handle of the record-table format
     */
    @Override
    public void restore(List<KeyedStateHandle> handles, SnapshotReader reader) {
        checkOpen();
        if (!stateNames().isEmpty()) {
            super.restore(handles, reader); // refuses: restore must come first
            return;
        }
        final ClassLoader classLoader = Thread.currentThread().getContextClassLoader();
        final List<KeyedStateHandle> canonical = new ArrayList<>(handles.size());
        int natives = 0;
        for (KeyedStateHandle handle : handles) {
            if (NativeSnapshotFormat.FORMAT_NAME.equals(handle.format())
                    && !handle.keyGroupRange().intersection(keyGroupRange()).isEmpty()) {
                natives++;
            }
        }
        final boolean single = natives == 1;
        for (KeyedStateHandle handle : handles) {
            if (NativeSnapshotFormat.RECORD_TABLE_FORMAT.equals(handle.format())) {
                throw NativeSnapshotFormat.recordTableFormat(handle);
            }
            if (!NativeSnapshotFormat.FORMAT_NAME.equals(handle.format())
                    || handle.keyGroupRange().intersection(keyGroupRange()).isEmpty()) {
                canonical.add(handle);
                continue;
            }
            final NativeSnapshotFormat.Payload payload = NativeSnapshotFormat.read(handle, classLoader);
            if (payload.states().isEmpty()) {
                continue;
            }
            checkMaxParallelism(payload.maxParallelism());
            if (checkKeySerializer(payload.keySerializer()) != keySerializer) {
                throw new io.tidemark.IncompatibleStateException("the key serializer needs a migration, which native "
                        + "offheap checkpoints do not do: operator=" + parameters.operatorId()
                        + "; take a savepoint (canonical) with the old key serializer and restore that to migrate");
            }
            restoreLog(handle, reader, payload, single && handle.keyGroupRange().equals(keyGroupRange()));
            restoreFused(handle, reader, payload);
        }
        super.restore(canonical, reader);
    }

    private void restoreFused(KeyedStateHandle handle, SnapshotReader reader, NativeSnapshotFormat.Payload payload) {
        for (NativeSnapshotFormat.StateEntry state : payload.states()) {
            if (state.logStateId() < 0) {
                restoredFused.add(state);
            }
        }
        final String file = handle.streams().isEmpty()
                ? "<payload>"
                : handle.streams().get(0).name();
        new FusedRestore(access, keyGroupRange(), longKeys)
                .restore(
                        handle,
                        reader,
                        payload,
                        (state, entry, table) -> restoredFused.add(state, entry.keyGroup(), table, file));
    }

    /**
     * @param sameRange the only native handle, covering exactly this backend's key groups: restored at the same
     *     addresses with the same state ids when the page size matches ({@link LogRestore#restoreInPlace})
     */
    private void restoreLog(
            KeyedStateHandle handle, SnapshotReader reader, NativeSnapshotFormat.Payload payload, boolean sameRange) {
        int maxId = -1;
        for (NativeSnapshotFormat.StateEntry state : payload.states()) {
            maxId = Math.max(maxId, state.logStateId());
        }
        if (maxId < 0) {
            return;
        }
        final int[] ids = LogRestore.newIdTable(maxId);
        if (sameRange && payload.pageSize() == store.pageSize() && logs.log.isEmpty() && restoredLog.isEmpty()) {
            for (NativeSnapshotFormat.StateEntry state : payload.states()) {
                if (state.logStateId() >= 0) {
                    restoredLog.add(state);
                    ids[state.logStateId()] = state.logStateId();
                }
            }
            nextLogStateId = Math.max(nextLogStateId, maxId + 1);
            new LogRestore(logs, keyGroupRange()).restoreInPlace(handle, reader, payload, ids);
            return;
        }
        for (NativeSnapshotFormat.StateEntry state : payload.states()) {
            if (state.logStateId() < 0) {
                continue;
            }
            final String name = state.meta().name();
            NativeSnapshotFormat.StateEntry mine = null;
            for (NativeSnapshotFormat.StateEntry known : restoredLog.unbound()) {
                if (known.meta().name().equals(name)) {
                    mine = known;
                }
            }
            if (mine == null) {
                mine = new NativeSnapshotFormat.StateEntry(
                        state.meta(), nextLogStateId++, state.shape(), state.userKeyFixed(), state.valueFixed());
                restoredLog.add(mine);
            }
            ids[state.logStateId()] = mine.logStateId();
        }
        new LogRestore(logs, keyGroupRange()).restore(handle, reader, payload, ids);
    }

    // ---- lifecycle and statistics ----

    /**
     * Cancels asynchronous snapshot parts that have not started, waits for running ones (their reader must be done
     * before the segments go), then deletes the page store's files.
     */
    @Override
    public void close() {
        try {
            tickets.closeAll();
        } finally {
            logs.close();
            store.close();
            super.close();
        }
    }

    /**
     * Entries of every state, registered or restored and not registered yet: (key, namespace) pairs of fused tables, and
     * of the log those with a value, a list or a
     * map (a map whose entries were all removed one by one still counts until cleared). Owner thread.
     */
    public long entryCount() {
        long count = 0;
        for (StateTables state : tables) {
            count += state.entryCount();
        }
        return count + restoredFused.entryCount() + logs.index.livePk();
    }

    /** True when the named state lives in fused tables (fixed-length key, namespace and value). Owner thread. */
    public boolean isFused(String stateName) {
        for (StateTables state : tables) {
            if (state.name.equals(stateName)) {
                return state.fixed;
            }
        }
        throw new StateAccessException("no registered state of that name: state=" + stateName);
    }

    /** Bytes of the record log between its begin and its tail (live and dead records). Owner thread. */
    public long logBytes() {
        return logs.log.isEmpty() ? 0 : logs.log.tail() - logs.log.begin();
    }

    /** Log segments compaction freed since open. Owner thread. */
    public long logSegmentsCompacted() {
        return logs.compactor.segmentsCompacted;
    }

    /** For tests: compaction in segments of {@code segmentBytes}, at most {@code mutableBytes} mutable. */
    void tuneLog(long segmentBytes, long mutableBytes) {
        logs.compactor = new LogCompactor(logs, new LogExpiry(), segmentBytes);
        logs.mutableBytes = mutableBytes;
    }

    /**
     * Resident: page frames holding pages plus the log index (both count against the resident budget); spilled: live
     * pages only in their segment files. Any thread: three counters the owner maintains, read racily (no structure is
     * walked, no state memory touched); zeros after {@link #close()}.
     */
    @Override
    public StateMemory memoryUsage() {
        return new StateMemory(store.residentBytes() + logs.index.bytes(), store.spilledBytes());
    }

    /** The page store; for statistics (resident bytes, pages). Owner thread. */
    public PageStore pageStore() {
        return store;
    }

    @Override
    public String toString() {
        return "OffHeapKeyedStateBackend{operator=" + parameters.operatorId() + ", range=" + keyGroupRange()
                + ", states=" + tables.size() + ", pages=" + store.allocatedPages() + "}";
    }
}
