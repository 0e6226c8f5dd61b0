package io.tidemark.backend;

import io.tidemark.state.ListState;
import io.tidemark.state.ListStateDescriptor;
import io.tidemark.state.MapState;
import io.tidemark.state.MapStateDescriptor;

/**
 * Operator (non-keyed) state of one operator instance. Operator thread only. TTL does not apply to operator state.
 */
public interface OperatorStateStore {
    /**
     * List state redistributed by even split: on restore at another parallelism, the elements of all old instances are
     * concatenated (in instance order) and cut into contiguous, near-equal parts.
     */
    <T> ListState<T> getListState(ListStateDescriptor<T> descriptor);

    /** List state redistributed by union: on restore every instance receives the elements of all old instances. */
    <T> ListState<T> getUnionListState(ListStateDescriptor<T> descriptor);

    /**
     * Broadcast state: a map that the application keeps identical on every instance; on restore every instance
     * receives the map of old instance 0.
     */
    <K, V> MapState<K, V> getBroadcastState(MapStateDescriptor<K, V> descriptor);
}
