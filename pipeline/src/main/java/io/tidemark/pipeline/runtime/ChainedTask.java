package io.tidemark.pipeline.runtime;

import io.tidemark.pipeline.operator.OperatorContext;
import io.tidemark.pipeline.operator.StreamOperator;
import java.util.concurrent.Executor;

/**
 * An operator instance chained to its upstream instance: same index, same parallelism, forward partitioning, so no
 * ring sits between them. Its upstream operator's output calls it directly ({@link ChainedEdge}) on the chain's
 * worker: a record costs a virtual call instead of a ring slot. With a single input there is nothing to align: a
 * barrier is snapshotted the moment it arrives, then forwarded.
 */
final class ChainedTask extends Task {
    private long watermark = Long.MIN_VALUE;
    private boolean done;

    ChainedTask(
            String name,
            int taskIndex,
            int subtask,
            int parallelism,
            StreamOperator operator,
            OperatorContext context,
            Cancellation cancellation,
            Executor snapshotExecutor,
            TaskHost host) {
        super(name, taskIndex, subtask, parallelism, operator, context, cancellation, snapshotExecutor, host);
    }

    void onRecord(Object record, long timestamp, long originNanos) throws Exception {
        metrics.recordsIn++;
        output.setCurrent(timestamp, originNanos);
        operator.processRecord(record, timestamp);
    }

    void onWatermark(long value, long originNanos) throws Exception {
        if (value > watermark) {
            watermark = value;
            output.setCurrent(Long.MIN_VALUE, originNanos);
            operator.processWatermark(value, context);
        }
    }

    void onBarrier(long checkpointId) throws Exception {
        performCheckpoint(checkpointId);
    }

    /** Upstream ended: control messages still queued run first (the final checkpoint's commit), then finish. */
    void onEnd() throws Exception {
        processMailbox();
        operator.finish();
        output.broadcast(StreamEvent.END_OF_INPUT, 0);
        done = true;
    }

    /** Chained instances only run when called; the head's step drives them. */
    @Override
    boolean step(int room) {
        return false;
    }

    @Override
    boolean finished() {
        return done;
    }
}
