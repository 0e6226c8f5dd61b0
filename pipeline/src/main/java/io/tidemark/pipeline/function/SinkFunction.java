package io.tidemark.pipeline.function;

import io.tidemark.function.RuntimeContext;

/**
 * Consumes records at the end of a pipeline. A sink that needs exactly-once output also implements
 * {@link io.tidemark.function.CheckpointedFunction} (to pre-commit at the barrier) and
 * {@link io.tidemark.function.CheckpointListener} (to commit once the checkpoint is durable), or is idempotent. Every
 * method runs on the sink's operator thread.
 */
public interface SinkFunction<T> {
    /** Called once, before {@code initializeState} when the function is also a {@code CheckpointedFunction}. */
    default void open(RuntimeContext context) throws Exception {}

    void invoke(T value, long timestamp) throws Exception;

    /** Called once at the end of a bounded input, after the final checkpoint was committed. */
    default void finish() throws Exception {}

    /** Called when the instance stops, normally or not; release resources, do not commit. */
    default void close() throws Exception {}
}
