package io.tidemark.pipeline.runtime;

import io.tidemark.pipeline.operator.OperatorContext;
import io.tidemark.pipeline.operator.SourceOperator;
import java.util.concurrent.Executor;

/**
 * Runs a source: emits small batches, injects barriers between batches (the trigger arrives in the mailbox, which the
 * chain runs between steps), and at the end of a bounded input emits the final watermark, reports itself finished,
 * and waits for the final checkpoint's commit before it sends end-of-input downstream.
 */
final class SourceTask extends Task {
    private static final int BATCH = 64;

    private final SourceOperator<?> source;
    private boolean exhausted;
    private boolean done;

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

    /**
     * Emits up to {@link #BATCH} records (a source may emit none when no record is due), then, at the end of a bounded
     * input, the final watermark; once the final checkpoint committed ({@code endInput}), end-of-input.
     */
    @Override
    boolean step(int room) throws Exception {
        if (done) {
            return false;
        }
        if (!exhausted) {
            long before = metrics.recordsIn;
            source.beginBatch();
            // a source may emit a watermark with each record: half the room keeps one call's output within it
            int limit = Math.min(BATCH, room / 2);
            for (int i = 0; i < limit && !exhausted; i++) {
                long emitted = metrics.recordsIn;
                exhausted = !source.emitNext();
                if (metrics.recordsIn == emitted) {
                    break; // nothing due (or a skipped input line): let the worker run others
                }
            }
            if (exhausted) {
                output.emitWatermark(Long.MAX_VALUE);
                host.sourceFinished();
                return true;
            }
            return metrics.recordsIn != before;
        }
        if (endInputRequested) {
            output.broadcast(StreamEvent.END_OF_INPUT, 0);
            operator.finish();
            done = true;
            return true;
        }
        return false;
    }

    @Override
    boolean finished() {
        return done;
    }
}
