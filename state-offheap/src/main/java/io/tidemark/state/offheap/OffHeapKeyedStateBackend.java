package io.tidemark.state.offheap;

import io.tidemark.StateSizeException;
import io.tidemark.backend.KeyedBackendParameters;
import io.tidemark.backend.internal.AbstractKeyedStateBackend;
import io.tidemark.backend.internal.InternalDoubleState;
import io.tidemark.backend.internal.InternalListState;
import io.tidemark.backend.internal.InternalLongState;
import io.tidemark.backend.internal.InternalMapState;
import io.tidemark.backend.internal.InternalValueState;
import io.tidemark.backend.internal.RegisteredKeyedState;
import io.tidemark.backend.internal.SnapshotSource;
import io.tidemark.backend.snapshot.InMemorySnapshotStorage;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.SnapshotKind;
import io.tidemark.backend.snapshot.SnapshotReader;
import io.tidemark.backend.snapshot.SnapshotStorage;
import io.tidemark.backend.snapshot.StateMetaInfo;
import io.tidemark.memory.PageSnapshot;
import io.tidemark.memory.PageStore;
import io.tidemark.serialization.StateSerializer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.ExpandableArrayBuffer;

/**
 * The off-heap keyed backend: every state of every key group in its own hash tables in the pages of one
 * {@link PageStore} (see {@link StateTables}, {@link FixedTable}, {@link RecordTable}).
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
 * against confirmed checkpoints ({@link UploadLedger}). While states restored from a snapshot are not registered yet,
 * native snapshots are written canonical instead (the common code holds those states, see {@link #snapshot}).
 */
public final class OffHeapKeyedStateBackend<K> extends AbstractKeyedStateBackend<K> {
    private static final OffHeapSnapshotConverter CONVERTER = new OffHeapSnapshotConverter();
    private static final AtomicLong RESTORE_SEQUENCE = new AtomicLong();

    private final OffHeapBackendContext context;
    private final PageStore store;
    private final PageAccess access;
    private final StateSerializer<K> keySerializer;
    private final int firstKeyGroup;
    private final List<StateTables> tables = new ArrayList<>();
    private final UploadLedger ledger = new UploadLedger();
    private SnapshotTicket ticket;

    final ExpandableArrayBuffer keyBuffer = new ExpandableArrayBuffer(64);
    int keyLength;
    long keyHash;
    private int groupIndex;
    final ExpandableArrayBuffer readScratch = new ExpandableArrayBuffer(256);
    final ExpandableArrayBuffer writeScratch = new ExpandableArrayBuffer(256);

    OffHeapKeyedStateBackend(KeyedBackendParameters<K> parameters, OffHeapBackendContext context) {
        super(parameters);
        this.context = context;
        this.store = PageStore.open(
                context.pageStoreContext(parameters.workingDirectory().resolve("offheap-pages")));
        this.access = new PageAccess(store);
        this.keySerializer = parameters.keySerializer();
        this.firstKeyGroup = parameters.keyGroupRange().startKeyGroup();
    }

    // ---- current key ----

    @Override
    protected void onCurrentKeyChanged(K key, int keyGroup) {
        final SnapshotTicket inFlight = ticket;
        if (inFlight != null && inFlight.isFinished()) {
            // End the page snapshot as soon as its reader is done: copy-on-write and side pages stop here.
            endPreviousSnapshot();
        }
        keyLength = keySerializer.write(key, keyBuffer, 0);
        keyHash = Hashing.bytes(keyBuffer, 0, keyLength);
        groupIndex = keyGroup - firstKeyGroup;
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

    private StateTables newTables(int index, String name, int fixedKeyLength, int fixedNamespaceLength) {
        if (index != tables.size()) {
            throw new IllegalStateException("state index out of order: index=" + index + ", states=" + tables.size());
        }
        final StateTables stateTables = new StateTables(this, index, name, fixedKeyLength, fixedNamespaceLength);
        tables.add(stateTables);
        return stateTables;
    }

    private StateTables recordTables(int index, String name) {
        return newTables(index, name, -1, -1);
    }

    private StateTables primitiveTables(int index, String name, StateSerializer<?> namespaceSerializer) {
        final int keyFixed = keySerializer.fixedLength();
        final int namespaceFixed = namespaceSerializer.fixedLength();
        return keyFixed > 0 && namespaceFixed >= 0
                ? newTables(index, name, keyFixed, namespaceFixed)
                : recordTables(index, name);
    }

    @Override
    protected <N, T> InternalValueState<N, T> createValueState(
            int index, String name, StateSerializer<N> namespaceSerializer, StateSerializer<T> valueSerializer) {
        return new OffHeapValueState<>(this, recordTables(index, name), namespaceSerializer, valueSerializer);
    }

    @Override
    protected <N, T> InternalListState<N, T> createListState(
            int index, String name, StateSerializer<N> namespaceSerializer, StateSerializer<T> elementSerializer) {
        return new OffHeapListState<>(this, recordTables(index, name), namespaceSerializer, elementSerializer);
    }

    @Override
    protected <N, UK, UV> InternalMapState<N, UK, UV> createMapState(
            int index,
            String name,
            StateSerializer<N> namespaceSerializer,
            StateSerializer<UK> userKeySerializer,
            StateSerializer<UV> valueSerializer) {
        return new OffHeapMapState<>(
                this, recordTables(index, name), namespaceSerializer, userKeySerializer, valueSerializer);
    }

    @Override
    protected <N> InternalLongState<N> createLongState(
            int index, String name, StateSerializer<N> namespaceSerializer, long defaultValue) {
        return new OffHeapLongState<>(
                this, primitiveTables(index, name, namespaceSerializer), namespaceSerializer, defaultValue);
    }

    @Override
    protected <N> InternalDoubleState<N> createDoubleState(
            int index, String name, StateSerializer<N> namespaceSerializer, double defaultValue) {
        return new OffHeapDoubleState<>(
                this, primitiveTables(index, name, namespaceSerializer), namespaceSerializer, defaultValue);
    }

    // ---- snapshots ----

    /**
     * Synchronous part: O(1) page-store snapshot plus a copy of the table directories (O(pages) of heap copying, no
     * page content). A native snapshot is written canonical while restored states await registration.
     */
    @Override
    public Callable<KeyedStateHandle> snapshot(long checkpointId, SnapshotKind kind, SnapshotStorage storage) {
        checkOpen();
        if (kind == SnapshotKind.CANONICAL || stateNames().size() > tables.size()) {
            return super.snapshot(checkpointId, kind, storage);
        }
        endPreviousSnapshot();
        final PageSnapshot pageSnapshot = store.beginSnapshot();
        final BitSet dirty = new BitSet();
        for (long page = pageSnapshot.nextDirtyPage(0); page >= 0; page = pageSnapshot.nextDirtyPage(page + 1)) {
            dirty.set((int) page);
        }
        final boolean full = kind == SnapshotKind.FULL;
        final List<TablePlan> plans = new ArrayList<>();
        for (CapturedTable table : captureByKeyGroup()) {
            plans.add(TablePlan.plan(table, dirty, ledger, full));
        }
        final List<StateMetaInfo> metas = new ArrayList<>();
        for (RegisteredKeyedState state : registeredStates()) {
            metas.add(state.metaInfo());
        }
        final SnapshotTicket next = new SnapshotTicket(pageSnapshot, true, checkpointId);
        ticket = next;
        final NativeSnapshotTask task = new NativeSnapshotTask(
                next,
                plans,
                keyGroupRange(),
                parameters.operatorId(),
                store.pageSize(),
                maxParallelism(),
                keySerializer.snapshot(),
                metas,
                storage);
        return task::call;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected SnapshotSource captureSnapshotSource() {
        endPreviousSnapshot();
        final PageSnapshot pageSnapshot = store.beginSnapshot();
        final CapturedTable[][] captured = new CapturedTable[tables.size()][];
        for (StateTables state : tables) {
            final CapturedTable[] byGroup = new CapturedTable[keyGroupRange().size()];
            for (int g = 0; g < byGroup.length; g++) {
                final TablePages pages = state.pagesOf(g);
                byGroup[g] = pages == null ? null : CapturedTable.capture(state, firstKeyGroup + g, pages);
            }
            captured[state.stateIndex] = byGroup;
        }
        final SnapshotTicket next = new SnapshotTicket(pageSnapshot, false, -1);
        ticket = next;
        return new CanonicalPageSource(
                next,
                captured,
                List.copyOf(registeredStates()),
                (StateSerializer<Object>) keySerializer.duplicate(),
                firstKeyGroup,
                store.pageSize());
    }

    private List<CapturedTable> captureByKeyGroup() {
        final List<CapturedTable> captured = new ArrayList<>();
        for (int g = 0; g < keyGroupRange().size(); g++) {
            for (StateTables state : tables) {
                final TablePages pages = state.pagesOf(g);
                if (pages != null) {
                    captured.add(CapturedTable.capture(state, firstKeyGroup + g, pages));
                }
            }
        }
        return captured;
    }

    /** Ends the page snapshot of the previous snapshot: completed if a native one succeeded, aborted otherwise. */
    private void endPreviousSnapshot() {
        final SnapshotTicket previous = ticket;
        if (previous == null) {
            return;
        }
        ticket = null;
        if (previous.cancelIfNotStarted()) {
            store.abortSnapshot(previous.snapshot);
            return;
        }
        final int end = previous.awaitEnd();
        if (end == SnapshotTicket.SUCCEEDED && previous.nativeFormat) {
            store.completeSnapshot(previous.snapshot);
            ledger.uploaded(previous.checkpointId, previous.uploads());
        } else {
            store.abortSnapshot(previous.snapshot);
        }
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        checkOpen();
        if (ticket != null && (ticket.checkpointId == checkpointId || ticket.isFinished())) {
            endPreviousSnapshot();
        }
        ledger.confirmed(checkpointId);
    }

    @Override
    public void notifyCheckpointAborted(long checkpointId) {
        checkOpen();
        if (ticket != null && (ticket.checkpointId == checkpointId || ticket.isFinished())) {
            endPreviousSnapshot();
        }
        ledger.aborted(checkpointId);
    }

    // ---- restore ----

    /**
     * Restores canonical handles through the common path, and native handles by converting the pages of the key
     * groups in this backend's range to canonical entries first (verified page by page), so that compatibility
     * checks, migration and unregistered restored states behave exactly as for canonical snapshots.
     */
    @Override
    public void restore(List<KeyedStateHandle> handles, SnapshotReader reader) {
        checkOpen();
        if (!stateNames().isEmpty()) {
            super.restore(handles, reader); // refuses: restore must come first; nothing converted for nothing
            return;
        }
        final InMemorySnapshotStorage converted = new InMemorySnapshotStorage();
        final String prefix = "offheap-restore-" + RESTORE_SEQUENCE.incrementAndGet() + "-" + System.nanoTime() + "/";
        final ClassLoader classLoader = Thread.currentThread().getContextClassLoader();
        final List<KeyedStateHandle> all = new ArrayList<>(handles.size());
        int n = 0;
        for (KeyedStateHandle handle : handles) {
            if (!NativeSnapshotFormat.FORMAT_NAME.equals(handle.format())) {
                all.add(handle);
                continue;
            }
            final KeyedStateHandle canonical =
                    CONVERTER.toCanonical(handle, reader, keyGroupRange(), converted, prefix + (n++), classLoader);
            if (canonical != null) {
                all.add(canonical);
            }
        }
        final SnapshotReader combined = (stream, position) ->
                stream.name().startsWith(prefix) ? converted.open(stream, position) : reader.open(stream, position);
        super.restore(all, combined);
    }

    // ---- lifecycle and statistics ----

    /** Waits for a running asynchronous snapshot part, then deletes the page store's files. */
    @Override
    public void close() {
        try {
            if (ticket != null) {
                endPreviousSnapshot();
            }
        } finally {
            store.close();
            super.close();
        }
    }

    /** Entries (key, namespace pairs) of every registered state. Owner thread. */
    public long entryCount() {
        long count = 0;
        for (StateTables state : tables) {
            count += state.entryCount();
        }
        return count;
    }

    /** The page store; for statistics (resident bytes, pages). Owner thread. */
    public PageStore pageStore() {
        return store;
    }

    /** Checkpoints whose asynchronous part succeeded and that are neither confirmed nor aborted yet. Owner thread. */
    public int pendingCheckpoints() {
        if (ticket != null && ticket.nativeFormat) {
            return ledger.pendingCount() + 1;
        }
        return ledger.pendingCount();
    }

    @Override
    public String toString() {
        return "OffHeapKeyedStateBackend{operator=" + parameters.operatorId() + ", range=" + keyGroupRange()
                + ", states=" + tables.size() + ", pages=" + store.allocatedPages() + "}";
    }
}
