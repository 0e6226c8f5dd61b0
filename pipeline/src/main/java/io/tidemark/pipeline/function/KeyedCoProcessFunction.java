package io.tidemark.pipeline.function;

import io.tidemark.function.Collector;
import io.tidemark.function.KeyedProcessFunction;
import io.tidemark.function.RuntimeContext;

/**
 * Processes the records of two connected keyed streams ({@code KeyedStream.connect(KeyedStream)} or {@code
 * ConnectedStreams.keyBy}): each input is partitioned by its own key selector into the same key groups, so the records
 * of both inputs with equal keys reach the same instance, and keyed state and timers are shared by both inputs. Every
 * method runs with the record's (or firing timer's) key current, on the operator thread that owns its key group; the
 * function never sees concurrent calls.
 *
 * @param <K> the key type, the same for both inputs
 * @param <IN1> the first input's type
 * @param <IN2> the second input's type
 * @param <OUT> the output type
 */
public abstract class KeyedCoProcessFunction<K, IN1, IN2, OUT> {
    /** Called once before the first record, after state was restored; create keyed state handles here. */
    public void open(RuntimeContext context) throws Exception {}

    /** Called for each record of the first input, with its key current. */
    public abstract void processElement1(IN1 value, Context<K> ctx, Collector<OUT> out) throws Exception;

    /** Called for each record of the second input, with its key current. */
    public abstract void processElement2(IN2 value, Context<K> ctx, Collector<OUT> out) throws Exception;

    /** Called when a timer registered for the current key fires (by either input's records or by a timer). */
    public void onTimer(long timestamp, OnTimerContext<K> ctx, Collector<OUT> out) throws Exception {}

    /** Called once after the last record or on cancellation. */
    public void close() throws Exception {}

    /** What the process methods may ask: the record's timestamp and key, timers, side outputs; valid in the call. */
    public interface Context<K> extends KeyedProcessFunction.Context<K> {}

    /** What {@link #onTimer} may ask about the firing timer. */
    public interface OnTimerContext<K> extends Context<K>, KeyedProcessFunction.OnTimerContext<K> {}
}
