package io.tidemark.pipeline.function;

import io.tidemark.state.State;

/**
 * Visits the keyed state of one key: what {@code KeyedBroadcastProcessFunction.Context.applyToKeyedState} calls for
 * every key of an instance that has an entry in a state. {@code state} follows the current key, which is {@code key}
 * during the call: reading and writing it reads and writes {@code key}'s entry.
 *
 * @param <K> the key type
 * @param <S> the state type
 */
@FunctionalInterface
public interface KeyedStateFunction<K, S extends State> {
    void process(K key, S state) throws Exception;
}
