package io.tidemark.pipeline.operator;

import io.tidemark.function.CheckpointedFunction;
import io.tidemark.pipeline.function.SinkFunction;
import io.tidemark.pipeline.metrics.TaskMetrics;

/** Drives a {@link SinkFunction}: records, two-phase-commit hooks and end-to-end latency. */
public final class SinkOperator<T> implements StreamOperator {
    private final SinkFunction<T> fn;
    private OperatorContext context;
    private TaskMetrics metrics;
    private long invocations;

    public SinkOperator(SinkFunction<T> fn) {
        this.fn = fn;
    }

    @Override
    public SinkFunction<T> function() {
        return fn;
    }

    @Override
    public void setup(OperatorContext ctx) {
        this.context = ctx;
        this.metrics = ctx.metrics();
    }

    @Override
    public void initializeState(boolean restored) throws Exception {
        fn.open(context);
        if (fn instanceof CheckpointedFunction checkpointed) {
            checkpointed.initializeState(context.operatorBackend(), restored);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void processRecord(Object record, long timestamp) throws Exception {
        fn.invoke((T) record, timestamp);
        if ((++invocations & TaskMetrics.LATENCY_SAMPLE_MASK) == 0) {
            metrics.recordLatency(context.output().originNanos());
        }
    }

    @Override
    public void processWatermark(long watermark, OperatorContext ctx) {}

    @Override
    public void finish() throws Exception {
        fn.finish();
    }

    @Override
    public void close() throws Exception {
        fn.close();
    }
}
