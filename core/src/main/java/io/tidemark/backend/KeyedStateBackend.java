package io.tidemark.backend;

import io.tidemark.StateAccessException;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.SnapshotKind;
import io.tidemark.backend.snapshot.SnapshotReader;
import io.tidemark.backend.snapshot.SnapshotStorage;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.serialization.StateSerializer;
import io.tidemark.state.State;
import io.tidemark.state.StateDescriptor;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Keyed state of one operator instance: the key groups of {@link #keyGroupRange()}. Single writer: every method except
 * the returned asynchronous snapshot part is called on the operator thread.
 *
 * @param <K> the partition key type
 */
public interface KeyedStateBackend<K> extends AutoCloseable {
    KeyGroupRange keyGroupRange();

    int maxParallelism();

    StateSerializer<K> keySerializer();

    /**
     * Makes {@code key} current for every state of this backend.
     *
     * @throws io.tidemark.StateAccessException if the key's group is not in {@link #keyGroupRange()}
     * @throws io.tidemark.ConfigurationException if the key's class has no stable hash ({@link
     *     io.tidemark.keygroup.StableKeyHash}): checked once per key class seen
     */
    void setCurrentKey(K key);

    /**
     * Makes the {@code long} key current without boxing it where the backend supports that (the off-heap backend does;
     * this default boxes). Valid only when {@link #keySerializer()} is {@link LongSerializer}; the key lands in the same
     * key group as {@code setCurrentKey(Long.valueOf(key))}. Operator thread only.
     *
     * @throws io.tidemark.StateAccessException if the key serializer is not {@link LongSerializer}, or the key's group
     *     is not in {@link #keyGroupRange()}
     */
    @SuppressWarnings("unchecked")
    default void setCurrentKey(long key) {
        if (keySerializer() != LongSerializer.INSTANCE) {
            throw new StateAccessException(
                    "setCurrentKey(long) needs the key serializer LongSerializer: keySerializer=" + keySerializer());
        }
        setCurrentKey((K) Long.valueOf(key));
    }

    /**
     * A hint that the {@code long} key will be made current soon (the runtime gives it for the next records of a batch
     * before it processes them): a backend may start loading the memory that key's states will touch, so that the
     * cache misses of several keys overlap instead of stalling one record each. It changes no state, not even the
     * current key, and may do nothing (this default does nothing). Valid only with {@link LongSerializer} keys; other
     * keys are ignored. Operator thread only; allocation-free.
     */
    default void prefetch(long key) {}

    /**
     * Runs {@code reads} in read-only access, the mode every query path uses (promise P11: reading state never changes
     * it): inside it, reading TTL state neither refreshes timestamps ({@code ON_READ_AND_WRITE}) nor removes expired
     * entries, which read as absent and stay stored until the operator itself touches them or a snapshot drops them.
     * The mode governs the side effects of reads; it does not refuse writes, so {@code reads} must only read. Nests.
     *
     * <p>Operator thread only (the thread that owns this backend). Allocates nothing itself.
     *
     * @return what {@code reads} returned
     */
    <R> R readOnly(Supplier<R> reads);

    K currentKey();

    int currentKeyGroup();

    /** Sets the watermark that event-time TTL is measured against. */
    void setCurrentWatermark(long watermark);

    /**
     * Returns the state described by {@code descriptor} in the given namespace type, creating it on first call; the
     * returned object also implements {@link NamespacedState} and starts in the default namespace of
     * {@code namespaceSerializer} ({@code null} until set, or {@link VoidNamespace#INSTANCE} for
     * {@link VoidNamespaceSerializer}). A state restored from a snapshot is checked against the descriptor here: a
     * changed shape or TTL setting, or an incompatible serializer, raises {@link io.tidemark.IncompatibleStateException};
     * a serializer that needs migration rewrites the restored state.
     */
    <N, S extends State> S getOrCreateKeyedState(
            StateSerializer<N> namespaceSerializer, StateDescriptor<S, ?> descriptor);

    /** Shorthand for states without namespaces. */
    default <S extends State> S getOrCreateKeyedState(StateDescriptor<S, ?> descriptor) {
        return getOrCreateKeyedState(VoidNamespaceSerializer.INSTANCE, descriptor);
    }

    /** Names of the registered and restored states. */
    List<String> stateNames();

    /**
     * Calls {@code action} once for every key that has an entry in the registered state {@code stateName}, in any
     * namespace: a value (a primitive state's value included), a non-empty list, a map with at least one entry. A key
     * whose entries were all cleared or removed is not visited; an entry that expired (TTL) and was not purged yet is.
     * Only keys of {@link #keyGroupRange()} exist here, restored ones included; they come in no particular order.
     *
     * <p>Operator thread only. For restore and tools (the timer service rebuilds its index with it), not for the record
     * path: it walks the whole state (the offheap backend reads its whole record log) and allocates a set of the keys.
     * The keys are collected before {@code action} first runs, so {@code action} may set the current key and read or
     * write state; what it writes does not change which keys are visited. The current key afterwards is the one
     * {@code action} set last.
     *
     * @throws io.tidemark.StateAccessException if no state named {@code stateName} is registered (a restored state is
     *     registered by {@link #getOrCreateKeyedState}), or the backend is closed
     */
    void forEachKey(String stateName, Consumer<? super K> action);

    /**
     * Synchronous part of a snapshot: captures the state as of now, in O(1) or close to it, and returns the
     * asynchronous part, which may run on any one other thread while the operator thread keeps writing; writes made
     * after this call returns are not seen by the snapshot.
     */
    Callable<KeyedStateHandle> snapshot(long checkpointId, SnapshotKind kind, SnapshotStorage storage);

    /**
     * The memory this backend's state takes now: resident bytes and bytes spilled to its working files, for metrics.
     * This default reports {@link StateMemory#UNKNOWN} (zeros): a backend that cannot tell cheaply does not measure.
     *
     * <p>Any thread, unlike the other methods: a metrics scrape calls it while the operator thread writes, also after
     * {@link #close()}. An implementation only reads counters its owner thread maintains (plain or volatile fields, a
     * value a moment old is fine; never torn on the supported 64-bit JVMs); it never walks its structures, touches
     * state memory, takes a lock or throws. Allocates the returned record.
     */
    default StateMemory memoryUsage() {
        return StateMemory.UNKNOWN;
    }

    /** Tells the backend that a snapshot it produced is durable (incremental backends may now reference it). */
    default void notifyCheckpointComplete(long checkpointId) {}

    /** Tells the backend that a snapshot it produced was discarded. */
    default void notifyCheckpointAborted(long checkpointId) {}

    /**
     * Loads state from handles of any key-group ranges (of this or any backend's canonical format, or this backend's
     * native format), keeping only key groups inside {@link #keyGroupRange()}. Called once, before any state access.
     * When the stored keys need a key-serializer migration, every restored entry's key is migrated as it is read,
     * whether or not its state is registered again, so later snapshots hold only current-format keys.
     *
     * @throws io.tidemark.CorruptCheckpointException if a stream does not verify
     * @throws io.tidemark.IncompatibleStateException if the key serializer cannot read the stored keys, a migrated key
     *     moved to a key group this instance does not own, or the migration maps two stored keys of one state to one
     *     key (both are named)
     * @throws io.tidemark.ConfigurationException if {@code maxParallelism} differs from the snapshot's
     */
    void restore(List<KeyedStateHandle> handles, SnapshotReader reader);

    @Override
    void close();
}
