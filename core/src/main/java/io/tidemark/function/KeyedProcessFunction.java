package io.tidemark.function;

/**
 * Processes the records of a keyed stream one at a time, with keyed state and timers. Every method runs on the
 * operator thread that owns the current key's key group; the function never sees concurrent calls.
 *
 * @param <K> the key type
 * @param <IN> the input type
 * @param <OUT> the output type
 */
public abstract class KeyedProcessFunction<K, IN, OUT> {
    /** Called once before the first record, after state was restored; create state handles here. */
    public void open(RuntimeContext context) throws Exception {}

    /** Called for each record, with the record's key current. */
    public abstract void processElement(IN value, Context<K> ctx, Collector<OUT> out) throws Exception;

    /** Called when a timer registered for the current key fires. */
    public void onTimer(long timestamp, OnTimerContext<K> ctx, Collector<OUT> out) throws Exception {}

    /** Called once after the last record or on cancellation. */
    public void close() throws Exception {}

    /** What {@link #processElement} may ask about the current record. */
    public interface Context<K> {
        /** The record's event timestamp, or {@link Long#MIN_VALUE} when it has none. */
        long timestamp();

        K getCurrentKey();

        TimerService timerService();

        /**
         * Emits {@code value} to the side output {@code tag} instead of the main output, with the current record's (or
         * firing timer's) timestamp.
         */
        <X> void output(OutputTag<X> tag, X value);
    }

    /** What {@link #onTimer} may ask about the firing timer. */
    public interface OnTimerContext<K> extends Context<K> {
        TimeDomain timeDomain();
    }
}
