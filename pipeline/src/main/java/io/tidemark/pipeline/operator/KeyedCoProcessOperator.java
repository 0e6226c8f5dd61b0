package io.tidemark.pipeline.operator;

import io.tidemark.function.CheckpointedFunction;
import io.tidemark.function.Collector;
import io.tidemark.pipeline.function.KeySelector;
import io.tidemark.pipeline.function.KeyedCoProcessFunction;

/**
 * Drives a {@link KeyedCoProcessFunction} on connected keyed streams: each record's key (by its own input's selector)
 * is made current on the keyed backend, then first-input records go to {@code processElement1}, second-input ones to
 * {@code processElement2}; timers, keyed state of the backend ({@link KeyedTimers}), are shared by both inputs and fire
 * as the watermark (the minimum over both inputs) or the clock passes them. Operator thread only; allocates nothing per
 * record itself.
 */
public final class KeyedCoProcessOperator<K, IN1, IN2, OUT> implements TwoInputOperator {
    private final KeyedCoProcessFunction<K, IN1, IN2, OUT> fn;
    private final KeySelector<?, ?> firstSelector;
    private final KeySelector<?, ?> secondSelector;
    private RecordKeys firstKeys;
    private RecordKeys secondKeys;
    private OperatorContext context;
    private Collector<OUT> out;
    private Contexts<K> contexts;

    /** Runs {@code fn}, keyed by {@code firstSelector} on the first input and {@code secondSelector} on the second. */
    public KeyedCoProcessOperator(
            KeyedCoProcessFunction<K, IN1, IN2, OUT> fn,
            KeySelector<?, ?> firstSelector,
            KeySelector<?, ?> secondSelector) {
        this.fn = fn;
        this.firstSelector = firstSelector;
        this.secondSelector = secondSelector;
    }

    @Override
    public KeyedCoProcessFunction<K, IN1, IN2, OUT> function() {
        return fn;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void setup(OperatorContext ctx) {
        this.context = ctx;
        this.out = (Collector<OUT>) (Object) ctx.output();
        this.firstKeys = new RecordKeys(ctx.keyedBackend(), firstSelector);
        this.secondKeys = new RecordKeys(ctx.keyedBackend(), secondSelector);
        this.contexts = new Contexts<>(ctx, this::fireTimer);
    }

    @Override
    public void initializeState(boolean restored) throws Exception {
        contexts.initializeTimers(restored);
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
        firstKeys.setCurrentKeyOf(record);
        contexts.startRecord(timestamp);
        fn.processElement1((IN1) record, contexts, out);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void processRecord2(Object record, long timestamp) throws Exception {
        secondKeys.setCurrentKeyOf(record);
        contexts.startRecord(timestamp);
        fn.processElement2((IN2) record, contexts, out);
    }

    /** When either input is keyed by primitive {@code long}: its next keys go to the backend as a hint. */
    @Override
    public boolean prefetches() {
        return firstKeys.prefetches() || secondKeys.prefetches();
    }

    @Override
    public void prefetch(Object record) {
        if (firstKeys.prefetches()) {
            firstKeys.prefetch(record);
        }
    }

    @Override
    public void prefetch2(Object record) {
        if (secondKeys.prefetches()) {
            secondKeys.prefetch(record);
        }
    }

    @Override
    public void processWatermark(long watermark, OperatorContext ctx) throws Exception {
        contexts.advanceWatermark(watermark);
    }

    @Override
    public void onIdle() throws Exception {
        contexts.fireProcessingTimers();
    }

    private void fireTimer(long time) throws Exception {
        fn.onTimer(time, contexts, out);
    }

    @Override
    public void close() throws Exception {
        fn.close();
    }

    /** The one context object of the instance, for records and timers alike. */
    private static final class Contexts<K> extends KeyedTimerContext<K>
            implements KeyedCoProcessFunction.OnTimerContext<K> {
        Contexts(OperatorContext context, TimerTarget target) {
            super(context, target);
        }
    }
}
