package io.tidemark.pipeline.operator;

import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.function.CheckpointedFunction;
import io.tidemark.function.Collector;
import io.tidemark.function.OutputTag;
import io.tidemark.pipeline.function.KeySelector;
import io.tidemark.pipeline.function.KeyedBroadcastProcessFunction;
import io.tidemark.pipeline.function.KeyedStateFunction;
import io.tidemark.pipeline.function.ReadOnlyBroadcastState;
import io.tidemark.state.MapState;
import io.tidemark.state.MapStateDescriptor;
import io.tidemark.state.State;
import io.tidemark.state.StateDescriptor;
import java.util.List;

/**
 * Drives a {@link KeyedBroadcastProcessFunction}: records of the keyed input (the first) are processed with their key
 * current, the broadcast states read only, keyed state and timers ({@link KeyedTimers}, fired as the watermark, the
 * minimum over both inputs, or the clock passes them); records of the broadcast input (the second; every instance gets
 * each one) with the broadcast states read and write and {@code applyToKeyedState} over the instance's keys. Broadcast
 * states are operator broadcast states (see {@link BroadcastProcessOperator}). Operator thread only; allocates nothing
 * per keyed record itself.
 */
public final class KeyedBroadcastProcessOperator<K, IN1, IN2, OUT> implements TwoInputOperator {
    private final KeyedBroadcastProcessFunction<K, IN1, IN2, OUT> fn;
    private final KeySelector<?, ?> selector;
    private final BroadcastStates states;
    private final BroadcastSide broadcastSide = new BroadcastSide();
    private RecordKeys keys;
    private OperatorContext context;
    private KeyedStateBackend<Object> backend;
    private RecordOutput output;
    private Collector<OUT> out;
    private KeyedSide<K> keyedSide;

    /**
     * Runs {@code fn}, keyed by {@code selector} on the first input, with the broadcast states {@code descriptors}
     * (those the broadcast stream declared).
     */
    public KeyedBroadcastProcessOperator(
            KeyedBroadcastProcessFunction<K, IN1, IN2, OUT> fn,
            KeySelector<?, ?> selector,
            List<MapStateDescriptor<?, ?>> descriptors) {
        this.fn = fn;
        this.selector = selector;
        this.states = new BroadcastStates(descriptors);
    }

    @Override
    public KeyedBroadcastProcessFunction<K, IN1, IN2, OUT> function() {
        return fn;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void setup(OperatorContext ctx) {
        this.context = ctx;
        this.backend = ctx.keyedBackend();
        this.output = ctx.output();
        this.out = (Collector<OUT>) (Object) output;
        this.keys = new RecordKeys(backend, selector);
        this.keyedSide = new KeyedSide<>(ctx, this::fireTimer, states);
    }

    @Override
    public void initializeState(boolean restored) throws Exception {
        keyedSide.initializeTimers(restored);
        states.register(context.operatorBackend(), context.operatorName());
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
        keys.setCurrentKeyOf(record);
        keyedSide.startRecord(timestamp);
        fn.processElement((IN1) record, keyedSide, out);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void processRecord2(Object record, long timestamp) throws Exception {
        keyedSide.startRecord(timestamp);
        fn.processBroadcastElement((IN2) record, broadcastSide, out);
    }

    /** Keyed by primitive {@code long}: the keyed input's next keys go to the backend as a hint. */
    @Override
    public boolean prefetches() {
        return keys.prefetches();
    }

    @Override
    public void prefetch(Object record) {
        keys.prefetch(record);
    }

    @Override
    public void processWatermark(long watermark, OperatorContext ctx) throws Exception {
        keyedSide.advanceWatermark(watermark);
    }

    @Override
    public void onIdle() throws Exception {
        keyedSide.fireProcessingTimers();
    }

    private void fireTimer(long time) throws Exception {
        fn.onTimer(time, keyedSide, out);
    }

    @Override
    public void close() throws Exception {
        fn.close();
    }

    /** The context of keyed records and timers: their key, timers, the broadcast states read only. */
    private static final class KeyedSide<K> extends KeyedTimerContext<K>
            implements KeyedBroadcastProcessFunction.OnTimerContext<K> {
        private final BroadcastStates states;

        KeyedSide(OperatorContext context, TimerTarget target, BroadcastStates states) {
            super(context, target);
            this.states = states;
        }

        @Override
        public <UK, UV> ReadOnlyBroadcastState<UK, UV> getBroadcastState(MapStateDescriptor<UK, UV> descriptor) {
            return states.readOnly(descriptor);
        }
    }

    /** The context of broadcast records: the broadcast states read and write, every key's keyed state. */
    private final class BroadcastSide implements KeyedBroadcastProcessFunction.Context<K> {
        @Override
        public long timestamp() {
            return keyedSide.timestamp();
        }

        @Override
        public long currentWatermark() {
            return keyedSide.currentWatermark();
        }

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            output.emitSide(tag, value);
        }

        @Override
        public <UK, UV> MapState<UK, UV> getBroadcastState(MapStateDescriptor<UK, UV> descriptor) {
            return states.writable(descriptor);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <S extends State> void applyToKeyedState(
                StateDescriptor<S, ?> descriptor, KeyedStateFunction<K, S> function) throws Exception {
            S state = context.getState(descriptor);
            try {
                backend.forEachKey(descriptor.name(), key -> {
                    backend.setCurrentKey(key);
                    try {
                        function.process((K) key, state);
                    } catch (RuntimeException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new VisitFailed(e);
                    }
                });
            } catch (VisitFailed failed) {
                throw failed.checked;
            }
        }
    }

    /** Carries a checked exception of a {@link KeyedStateFunction} out of the backend's key walk. */
    private static final class VisitFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Exception checked;

        VisitFailed(Exception checked) {
            super(checked);
            this.checked = checked;
        }
    }
}
