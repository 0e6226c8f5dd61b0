package io.tidemark.backend;

import java.util.Collection;

/**
 * Implemented by the keyed list, reducing and aggregating states every backend returns ({@code heap}, {@code offheap},
 * {@code chronicle}): merges the state of several namespaces of the current key into one, in the backend, as merging
 * windows need when a record bridges two sessions (Flink's {@code InternalMergingState.mergeNamespaces}).
 *
 * <p>Cast a state from {@link KeyedStateBackend#getOrCreateKeyedState(io.tidemark.serialization.StateSerializer,
 * io.tidemark.state.StateDescriptor)} to it, as to {@link NamespacedState}. Value, map and primitive states do not
 * implement it: they have no merge.
 *
 * @param <N> the namespace type
 */
public interface MergingState<N> extends NamespacedState<N> {
    /**
     * Merges the state of every namespace of {@code sources} into namespace {@code target}, for the current key, and
     * clears the sources. Reducing state combines the values with its {@code ReduceFunction} and aggregating state the
     * accumulators with {@code AggregateFunction.merge} (target's first, then each source's, in iteration order); list
     * state appends the sources' elements after the target's, in iteration order. Empty namespaces are skipped (a
     * merge of only empty ones leaves the target empty); a source equal to {@code target} is ignored. With TTL, list
     * elements keep their own timestamps and a merged value or accumulator counts as written now. The current
     * namespace is the same afterwards. Like every write, the merge is not seen by a snapshot whose synchronous part
     * ran before it.
     *
     * <p>Operator thread only. Allocates what the reads and writes of the namespaces involved do.
     *
     * @throws io.tidemark.StateAccessException if no key is current
     */
    void mergeNamespaces(N target, Collection<N> sources);
}
