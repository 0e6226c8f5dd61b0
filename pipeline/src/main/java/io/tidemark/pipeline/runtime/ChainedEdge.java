package io.tidemark.pipeline.runtime;

import io.tidemark.pipeline.operator.RecordOutput;

/**
 * The edge from an operator instance to the instance chained to it: direct calls on the same worker, no ring. Bound to
 * its target after both were created. A checked exception of the chained operator is wrapped, naming it; unchecked
 * ones (including the cancellation that unwinds a worker) pass through unchanged.
 */
final class ChainedEdge extends RecordOutput.Edge {
    private ChainedTask target;

    void bind(ChainedTask task) {
        this.target = task;
    }

    @Override
    public void emitRecord(Object record, long timestamp, long originNanos) {
        try {
            target.onRecord(record, timestamp, originNanos);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new ChainedOperatorException(target.taskName(), e);
        }
    }

    @Override
    public void broadcastWatermark(long watermark, long originNanos) {
        broadcast(StreamEvent.WATERMARK, watermark, originNanos);
    }

    @Override
    public void broadcast(byte kind, long value, long originNanos) {
        try {
            switch (kind) {
                case StreamEvent.WATERMARK -> target.onWatermark(value, originNanos);
                case StreamEvent.BARRIER -> target.onBarrier(value);
                case StreamEvent.END_OF_INPUT -> target.onEnd();
                default -> throw new IllegalArgumentException("not a control event: kind=" + kind);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new ChainedOperatorException(target.taskName(), e);
        }
    }

    /** A checked exception thrown by a chained operator, carried up the chain to its worker. */
    static final class ChainedOperatorException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ChainedOperatorException(String task, Exception cause) {
            super("chained operator failed: task=" + task + ": " + cause, cause);
        }
    }
}
