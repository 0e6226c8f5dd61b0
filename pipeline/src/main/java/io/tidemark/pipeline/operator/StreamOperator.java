package io.tidemark.pipeline.operator;

import io.tidemark.function.CheckpointListener;
import io.tidemark.function.CheckpointedFunction;

/**
 * One operator instance as the runtime drives it. Every method runs on the instance's own thread, except
 * {@link #setup}, {@link #initializeState} and {@link #open}, which the runner calls before the thread starts.
 */
public interface StreamOperator {
    void setup(OperatorContext context);

    /** Creates operator state; {@code restored} when it holds state from a checkpoint. */
    default void initializeState(boolean restored) throws Exception {}

    default void open() throws Exception {}

    void processRecord(Object record, long timestamp) throws Exception;

    /** True when {@link #prefetch} does something: the runtime then announces each batch's records before it. */
    default boolean prefetches() {
        return false;
    }

    /**
     * A hint that {@code record} is about to be processed, given for the records of a batch before the first of them
     * (see {@code KeyedStateBackend.prefetch}). Must not change anything.
     */
    default void prefetch(Object record) {}

    /** Fires what the watermark makes due, then forwards it. */
    default void processWatermark(long watermark, OperatorContext context) throws Exception {
        context.output().emitWatermark(watermark);
    }

    /**
     * The user function this operator drives, or {@code null}. The default checkpoint hooks forward to it when it is a
     * {@link CheckpointedFunction} or a {@link CheckpointListener}.
     */
    default Object function() {
        return null;
    }

    /** Synchronous part of checkpoint {@code checkpointId}, before the backends are snapshotted. */
    default void snapshotState(long checkpointId) throws Exception {
        if (function() instanceof CheckpointedFunction checkpointed) {
            checkpointed.snapshotState(checkpointId);
        }
    }

    /** Checkpoint {@code checkpointId} is durable (two-phase-commit sinks commit here). */
    default void notifyCheckpointComplete(long checkpointId) throws Exception {
        if (function() instanceof CheckpointListener listener) {
            listener.notifyCheckpointComplete(checkpointId);
        }
    }

    /** Checkpoint {@code checkpointId} will never complete. */
    default void notifyCheckpointAborted(long checkpointId) throws Exception {
        if (function() instanceof CheckpointListener listener) {
            listener.notifyCheckpointAborted(checkpointId);
        }
    }

    /** Called between batches: fire due processing-time timers. */
    default void onIdle() throws Exception {}

    /** All inputs ended (after the final checkpoint was committed). */
    default void finish() throws Exception {}

    default void close() throws Exception {}
}
