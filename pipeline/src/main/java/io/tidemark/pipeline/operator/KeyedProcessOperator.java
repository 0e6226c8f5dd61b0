package io.tidemark.pipeline.operator;

import io.tidemark.IncompatibleStateException;
import io.tidemark.function.CheckpointedFunction;
import io.tidemark.function.Collector;
import io.tidemark.function.KeyedProcessFunction;

/**
 * Drives a {@link KeyedProcessFunction}: sets the record's key on the keyed backend and fires timers as the watermark
 * (or the clock) passes them. The timers are keyed state ({@link KeyedTimers}), so a checkpoint's synchronous part does
 * nothing for them. Operator thread only.
 */
public final class KeyedProcessOperator<K, IN, OUT> implements StreamOperator {
    /**
     * The union list operator state in which versions before timers became keyed state kept every timer. This version
     * does not read it: restoring a checkpoint that has it is refused.
     */
    static final String UNION_TIMER_STATE = "_timers";

    private final KeyedProcessFunction<K, IN, OUT> fn;
    private OperatorContext context;
    private RecordKeys keys;
    private Collector<OUT> out;
    private KeyedTimerContext<K> timers;

    public KeyedProcessOperator(KeyedProcessFunction<K, IN, OUT> fn) {
        this.fn = fn;
    }

    @Override
    public KeyedProcessFunction<K, IN, OUT> function() {
        return fn;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void setup(OperatorContext ctx) {
        this.context = ctx;
        this.keys = new RecordKeys(ctx.keyedBackend(), ctx.keySelector());
        this.out = (Collector<OUT>) (Object) ctx.output();
        this.timers = new KeyedTimerContext<>(ctx, this::fireTimer);
    }

    /**
     * Registers the timer states and, when {@code restored}, rebuilds the timer index from them.
     *
     * @throws IncompatibleStateException if the restored operator state holds the union list timer state of an older
     *     version ({@value #UNION_TIMER_STATE})
     */
    @Override
    public void initializeState(boolean restored) throws Exception {
        if (restored && context.operatorBackend().stateNames().contains(UNION_TIMER_STATE)) {
            throw new IncompatibleStateException("checkpoint holds timers in the union list operator state of an older "
                    + "version, which this version does not read: operator=" + context.operatorName() + ", subtask="
                    + context.indexOfThisSubtask() + ", state=" + UNION_TIMER_STATE + "; restore it with the version "
                    + "that wrote it, or drop the state offline (SavepointTransform.dropOperatorState) and lose its "
                    + "timers");
        }
        timers.initializeTimers(restored);
        if (fn instanceof CheckpointedFunction checkpointed) {
            checkpointed.initializeState(context.operatorBackend(), restored);
        }
    }

    @Override
    public void open() throws Exception {
        fn.open(context);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void processRecord(Object record, long timestamp) throws Exception {
        keys.setCurrentKeyOf(record); // a primitive long key creates no key object on the record path
        timers.startRecord(timestamp);
        fn.processElement((IN) record, timers, out);
    }

    /** Keyed by primitive {@code long}: the backend gets the next keys as a hint, so their cache misses overlap. */
    @Override
    public boolean prefetches() {
        return keys.prefetches();
    }

    @Override
    public void prefetch(Object record) {
        keys.prefetch(record);
    }

    @Override
    public void processWatermark(long newWatermark, OperatorContext ctx) throws Exception {
        timers.advanceWatermark(newWatermark);
    }

    @Override
    public void onIdle() throws Exception {
        timers.fireProcessingTimers();
    }

    private void fireTimer(long time) throws Exception {
        fn.onTimer(time, timers, out);
    }

    @Override
    public void close() throws Exception {
        fn.close();
    }

    /** Timers pending, for metrics and tests. */
    int timerCount() {
        return timers.timerCount();
    }
}
