package io.tidemark.pipeline.operator;

import io.tidemark.function.CheckpointedFunction;
import io.tidemark.function.Collector;
import io.tidemark.function.OutputTag;
import io.tidemark.pipeline.function.BroadcastProcessFunction;
import io.tidemark.pipeline.function.ReadOnlyBroadcastState;
import io.tidemark.state.MapState;
import io.tidemark.state.MapStateDescriptor;
import java.util.List;

/**
 * Drives a {@link BroadcastProcessFunction}: records of the first input go to {@code processElement} with the
 * broadcast states read only, records of the broadcast input (the second; every instance gets each one) to {@code
 * processBroadcastElement} with them read and write. The broadcast states are operator broadcast states, registered
 * when state is initialized, so they are snapshotted with the instance's operator state and restored from it.
 * Operator thread only; allocates nothing per record itself.
 */
public final class BroadcastProcessOperator<IN1, IN2, OUT> implements TwoInputOperator {
    private final BroadcastProcessFunction<IN1, IN2, OUT> fn;
    private final BroadcastStates states;
    private final ReadOnlyContextImpl readOnly = new ReadOnlyContextImpl();
    private final ContextImpl writable = new ContextImpl();
    private OperatorContext context;
    private RecordOutput output;
    private long watermark = Long.MIN_VALUE;
    private long timestamp;

    /** Runs {@code fn} with the broadcast states {@code descriptors} (those the broadcast stream declared). */
    public BroadcastProcessOperator(
            BroadcastProcessFunction<IN1, IN2, OUT> fn, List<MapStateDescriptor<?, ?>> descriptors) {
        this.fn = fn;
        this.states = new BroadcastStates(descriptors);
    }

    @Override
    public BroadcastProcessFunction<IN1, IN2, OUT> function() {
        return fn;
    }

    @Override
    public void setup(OperatorContext ctx) {
        this.context = ctx;
        this.output = ctx.output();
    }

    @Override
    public void initializeState(boolean restored) throws Exception {
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
    public void processRecord(Object record, long recordTimestamp) throws Exception {
        timestamp = recordTimestamp;
        fn.processElement((IN1) record, readOnly, (Collector<OUT>) (Object) output);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void processRecord2(Object record, long recordTimestamp) throws Exception {
        timestamp = recordTimestamp;
        fn.processBroadcastElement((IN2) record, writable, (Collector<OUT>) (Object) output);
    }

    @Override
    public void processWatermark(long newWatermark, OperatorContext ctx) {
        watermark = newWatermark;
        output.emitWatermark(newWatermark);
    }

    @Override
    public void close() throws Exception {
        fn.close();
    }

    private abstract class Base implements BroadcastProcessFunction.BaseContext {
        @Override
        public long timestamp() {
            return timestamp;
        }

        @Override
        public long currentWatermark() {
            return watermark;
        }

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            output.emitSide(tag, value);
        }
    }

    private final class ReadOnlyContextImpl extends Base implements BroadcastProcessFunction.ReadOnlyContext {
        @Override
        public <K, V> ReadOnlyBroadcastState<K, V> getBroadcastState(MapStateDescriptor<K, V> descriptor) {
            return states.readOnly(descriptor);
        }
    }

    private final class ContextImpl extends Base implements BroadcastProcessFunction.Context {
        @Override
        public <K, V> MapState<K, V> getBroadcastState(MapStateDescriptor<K, V> descriptor) {
            return states.writable(descriptor);
        }
    }
}
