package io.tidemark.pipeline.operator;

import io.tidemark.function.CheckpointedFunction;
import io.tidemark.function.Collector;
import io.tidemark.function.OutputTag;
import io.tidemark.pipeline.function.CoProcessFunction;

/**
 * Drives a {@link CoProcessFunction} on connected non-keyed streams: first-input records to {@code processElement1},
 * second-input records to {@code processElement2}. Operator thread only; allocates nothing per record.
 */
public final class CoProcessOperator<IN1, IN2, OUT> implements TwoInputOperator {
    private final CoProcessFunction<IN1, IN2, OUT> fn;
    private final ContextImpl contextImpl = new ContextImpl();
    private OperatorContext context;
    private RecordOutput output;
    private long watermark = Long.MIN_VALUE;
    private long timestamp;

    public CoProcessOperator(CoProcessFunction<IN1, IN2, OUT> fn) {
        this.fn = fn;
    }

    @Override
    public CoProcessFunction<IN1, IN2, OUT> function() {
        return fn;
    }

    @Override
    public void setup(OperatorContext ctx) {
        this.context = ctx;
        this.output = ctx.output();
    }

    @Override
    public void initializeState(boolean restored) throws Exception {
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
        fn.processElement1((IN1) record, contextImpl, (Collector<OUT>) (Object) output);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void processRecord2(Object record, long recordTimestamp) throws Exception {
        timestamp = recordTimestamp;
        fn.processElement2((IN2) record, contextImpl, (Collector<OUT>) (Object) output);
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

    private final class ContextImpl implements CoProcessFunction.Context {
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
}
