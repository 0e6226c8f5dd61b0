package io.tidemark.pipeline.operator;

import io.tidemark.pipeline.function.SourceContext;
import io.tidemark.pipeline.function.SourceFunction;
import io.tidemark.pipeline.metrics.TaskMetrics;

/** Drives a {@link SourceFunction}; each record's origin time is taken here, for end-to-end latency. */
public final class SourceOperator<T> implements StreamOperator, SourceContext<T> {
    private final SourceFunction<T> fn;
    private OperatorContext context;
    private RecordOutput output;
    private TaskMetrics metrics;

    SourceOperator(SourceFunction<T> fn) {
        this.fn = fn;
    }

    @Override
    public SourceFunction<T> function() {
        return fn;
    }

    @Override
    public void setup(OperatorContext ctx) {
        this.context = ctx;
        this.output = ctx.output();
        this.metrics = ctx.metrics();
    }

    @Override
    public void initializeState(boolean restored) throws Exception {
        fn.open(context);
        fn.initializeState(context.operatorBackend(), restored);
    }

    /** Returns false once the input is exhausted. */
    public boolean emitNext() throws Exception {
        return fn.emitNext(this);
    }

    @Override
    public void collect(T record, long timestamp) {
        metrics.recordsIn++;
        output.setCurrent(timestamp, System.nanoTime());
        output.emit(record, timestamp);
    }

    @Override
    public void emitWatermark(long watermark) {
        output.emitWatermark(watermark);
    }

    @Override
    public void processRecord(Object record, long timestamp) {
        throw new IllegalStateException("a source has no input: operator=" + context.operatorName());
    }

    @Override
    public void snapshotState(long checkpointId) throws Exception {
        fn.snapshotState(checkpointId);
    }

    @Override
    public void close() throws Exception {
        fn.close();
    }
}
