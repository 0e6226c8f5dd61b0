package io.tidemark.pipeline.function;

import io.tidemark.function.Collector;
import io.tidemark.function.KeyedStateStore;
import io.tidemark.function.OutputTag;
import io.tidemark.function.RuntimeContext;

/**
 * Called once per fired window of a key with the window's contents: either every element of the window (buffered as
 * keyed list state in the window's namespace, when the function is used alone: {@link WindowProcessing#process}) or the
 * one result of an incremental {@link io.tidemark.state.AggregateFunction} (when it follows one:
 * {@link WindowProcessing#aggregate}), as Flink's {@code ProcessWindowFunction}. A window that fires again (a record
 * within the allowed lateness) calls {@link #process} again with its updated contents.
 *
 * <p>Every method runs on the operator thread that owns the key's key group; the function never sees concurrent calls.
 * One instance per operator instance, created by the factory given to the window at every (re)start.
 *
 * @param <IN> the type of the window's contents: the elements, or the aggregate's result
 * @param <OUT> the output type
 * @param <K> the key type
 */
public abstract class ProcessWindowFunction<IN, OUT, K> {
    /**
     * Called once before the first record, after state was restored. {@code context.getState} gives keyed state of the
     * key outside any window (as {@link Context#globalState()}).
     */
    public void open(RuntimeContext context) throws Exception {}

    /**
     * Evaluates a fired window of {@code key}.
     *
     * @param elements the window's elements in arrival order (for a merged session: each merged session's elements in
     *     turn), or a single element, the aggregate's result; valid during the call only
     */
    public abstract void process(K key, Context context, Iterable<IN> elements, Collector<OUT> out) throws Exception;

    /**
     * Called when a window's state is dropped (the watermark passed its end plus the allowed lateness): clear the
     * per-window state ({@link Context#windowState()}) the function kept for it here. Does nothing by default.
     */
    public void clear(Context context) throws Exception {}

    /** Called once after the last record or on cancellation. */
    public void close() throws Exception {}

    /** What {@link #process} and {@link #clear} may ask about the window; valid during the call only. */
    public interface Context {
        /** The window's first millisecond. */
        long windowStart();

        /** The millisecond after the window's last one (exclusive end): {@code start + size}, or a session's last record + gap. */
        long windowEnd();

        /** The operator's current event-time watermark. */
        long currentWatermark();

        long currentProcessingTime();

        /** Emits {@code value} to side output {@code tag} instead of the main output. */
        <X> void output(OutputTag<X> tag, X value);

        /**
         * Keyed state of the current key scoped to this window (its namespace): a state got here holds one value per
         * window and is kept until cleared, so clear it in {@link ProcessWindowFunction#clear}. Names must differ from
         * the function's other keyed states and must not start with {@code _}.
         *
         * @throws UnsupportedOperationException for session windows, whose windows merge (as in Flink)
         */
        KeyedStateStore windowState();

        /** Keyed state of the current key outside any window, shared by all its windows. */
        KeyedStateStore globalState();
    }
}
