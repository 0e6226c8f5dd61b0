package io.tidemark.pipeline.operator;

import io.tidemark.pipeline.function.SourceContext;
import io.tidemark.pipeline.function.SourceFunction;
import io.tidemark.pipeline.metrics.TaskMetrics;

/**
 * Drives a {@link SourceFunction}. The origin time records carry (for end-to-end latency) is read from the clock once
 * per batch, at the first record the batch emits: a clock read costs as much as the rest of a record's trip, and the
 * records of one batch are emitted back to back (a source must not wait inside {@code emitNext}).
 */
public final class SourceOperator<T> implements StreamOperator, SourceContext<T> {
    private final SourceFunction<T> fn;
    private OperatorContext context;
    private RecordOutput output;
    private TaskMetrics metrics;
    private long originNanos;
    private boolean originStale = true;

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

    /** Runtime: a new batch starts; its first record reads the clock for the origin time. */
    public void beginBatch() {
        originStale = true;
    }

    /** Returns false once the input is exhausted. */
    public boolean emitNext() throws Exception {
        return fn.emitNext(this);
    }

    @Override
    public void collect(T record, long timestamp) {
        metrics.recordsIn++;
        if (originStale) {
            originNanos = System.nanoTime();
            originStale = false;
        }
        output.setCurrent(timestamp, originNanos);
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
