package io.tidemark.pipeline.function;

import io.tidemark.function.Collector;
import io.tidemark.function.KeyedProcessFunction;
import io.tidemark.function.RuntimeContext;
import io.tidemark.state.State;
import io.tidemark.state.StateDescriptor;

/**
 * Processes a keyed stream connected with a broadcast stream ({@code KeyedStream.connect(BroadcastStream)}): {@link
 * #processElement} runs with the record's key current (keyed state, timers, the broadcast state read only), {@link
 * #processBroadcastElement} runs on every instance for each broadcast record with no key current (the broadcast state
 * read and write, and the keyed state of every key of the instance through {@link Context#applyToKeyedState}). Timers
 * fire in {@link #onTimer} with their key current. Broadcast state is checkpointed and restored as described in {@link
 * BroadcastProcessFunction}, with the same rule: update it the same way on every instance. Every method runs on the
 * operator thread; the function never sees concurrent calls.
 *
 * @param <K> the key type of the keyed input
 * @param <IN1> the keyed input's type
 * @param <IN2> the broadcast input's type
 * @param <OUT> the output type
 */
public abstract class KeyedBroadcastProcessFunction<K, IN1, IN2, OUT> {
    /** Called once before the first record, after state was restored; create keyed state handles here. */
    public void open(RuntimeContext context) throws Exception {}

    /** Called for each record of the keyed input, with its key current. */
    public abstract void processElement(IN1 value, ReadOnlyContext<K> ctx, Collector<OUT> out) throws Exception;

    /**
     * Called on every instance for each record of the broadcast input. No key is current: keyed state is reached only
     * through {@link Context#applyToKeyedState}.
     */
    public abstract void processBroadcastElement(IN2 value, Context<K> ctx, Collector<OUT> out) throws Exception;

    /** Called when a timer registered for the current key fires. */
    public void onTimer(long timestamp, OnTimerContext<K> ctx, Collector<OUT> out) throws Exception {}

    /** Called once after the last record or on cancellation. */
    public void close() throws Exception {}

    /** The context of {@link #processElement}: the record's key and timestamp, timers, broadcast state read only. */
    public interface ReadOnlyContext<K>
            extends BroadcastProcessFunction.ReadOnlyContext, KeyedProcessFunction.Context<K> {}

    /** What {@link #onTimer} may ask about the firing timer. */
    public interface OnTimerContext<K> extends ReadOnlyContext<K>, KeyedProcessFunction.OnTimerContext<K> {}

    /** The context of {@link #processBroadcastElement}: the broadcast state read and write, every key's keyed state. */
    public interface Context<K> extends BroadcastProcessFunction.Context {
        /**
         * Calls {@code function} once for every key of this instance that has an entry in the keyed state of {@code
         * descriptor} (the state is created when it does not exist yet, and then has no keys), with that key current:
         * the state it is given reads and writes that key's entry. Keys come in no particular order; the keys are
         * collected before the first call, so {@code function} may write or clear the state. Walks the whole state
         * and allocates per key: meant for broadcast records, which are rare, not for the record path.
         *
         * @throws io.tidemark.ConfigurationException if the state name starts with the prefix the engine keeps for its
         *     own states ({@code _})
         * @throws Exception what {@code function} threw, unchanged; keys after it are not visited
         */
        <S extends State> void applyToKeyedState(StateDescriptor<S, ?> descriptor, KeyedStateFunction<K, S> function)
                throws Exception;
    }
}
