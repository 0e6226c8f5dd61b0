package io.tidemark.pipeline.runtime;

import io.tidemark.pipeline.operator.OperatorContext;
import io.tidemark.pipeline.operator.SourceOperator;
import java.util.concurrent.Executor;

/**
 * Runs a source: emits small batches, injects barriers between batches when the coordinator triggers, and at the end of
 * a bounded input emits the final watermark, reports itself finished, and waits for the final checkpoint's commit
 * before it sends end-of-input downstream.
 */
final class SourceTask extends Task {
    private static final int BATCH = 64;

    private final SourceOperator<?> source;

    SourceTask(
            String name,
            int taskIndex,
            int subtask,
            int parallelism,
            SourceOperator<?> operator,
            OperatorContext context,
            Cancellation cancellation,
            Executor snapshotExecutor,
            TaskHost host) {
        super(name, taskIndex, subtask, parallelism, operator, context, cancellation, snapshotExecutor, host);
        this.source = operator;
    }

    @Override
    protected void runTask() throws Exception {
        Idler idler = new Idler();
        boolean exhausted = false;
        while (!cancellation.isCancelled()) {
            processMailbox();
            if (!exhausted) {
                for (int i = 0; i < BATCH && !exhausted; i++) {
                    exhausted = !source.emitNext();
                }
                if (exhausted) {
                    output.emitWatermark(Long.MAX_VALUE);
                    host.sourceFinished();
                }
                continue;
            }
            if (endInputRequested) {
                output.broadcast(StreamEvent.END_OF_INPUT, 0);
                operator.finish();
                return;
            }
            idler.idle();
        }
    }
}
