package io.tidemark.pipeline.operator;

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

    /** Fires what the watermark makes due, then forwards it. */
    default void processWatermark(long watermark, OperatorContext context) throws Exception {
        context.output().emitWatermark(watermark);
    }

    /** Synchronous part of checkpoint {@code checkpointId}, before the backends are snapshotted. */
    default void snapshotState(long checkpointId) throws Exception {}

    default void notifyCheckpointComplete(long checkpointId) throws Exception {}

    default void notifyCheckpointAborted(long checkpointId) throws Exception {}

    /** Called between batches: fire due processing-time timers. */
    default void onIdle() throws Exception {}

    /** All inputs ended (after the final checkpoint was committed). */
    default void finish() throws Exception {}

    default void close() throws Exception {}
}
