package io.tidemark.pipeline.function;

import java.util.Map;

/**
 * A view of a broadcast state that cannot change it: what the non-broadcast side of a broadcast process function reads.
 * Only the broadcast side writes broadcast state, with the same updates on every instance, so the state stays identical
 * across instances. Operator thread only.
 *
 * @param <K> the map's key type
 * @param <V> the map's value type
 */
public interface ReadOnlyBroadcastState<K, V> {
    /** The value of {@code key}, or {@code null}. */
    V get(K key);

    boolean contains(K key);

    /** A copy of the entries as of this call (allocates per entry). */
    Iterable<Map.Entry<K, V>> entries();

    boolean isEmpty();
}
