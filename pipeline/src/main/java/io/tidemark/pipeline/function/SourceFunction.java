package io.tidemark.pipeline.function;

import io.tidemark.function.CheckpointedFunction;
import io.tidemark.function.RuntimeContext;

/**
 * A replayable source. Its position (offset, sequence number) is operator state written in
 * {@link #snapshotState(long)}, so that restoring a checkpoint rewinds it exactly to the barrier. Every method runs on
 * the source thread; {@link #emitNext} is never called concurrently with {@code snapshotState}.
 */
public interface SourceFunction<T> extends CheckpointedFunction {
    /** Called once, before {@link #initializeState}. */
    default void open(RuntimeContext context) throws Exception {}

    /**
     * Emits the next small batch of records (a few at most: barriers are injected between calls). It must not wait for
     * input or for time to pass: a source with nothing to emit yet (a paced source whose next record is not due)
     * returns true without emitting, and its worker runs other operators meanwhile.
     *
     * @return false once the input is exhausted (bounded sources); unbounded sources always return true
     */
    boolean emitNext(SourceContext<T> ctx) throws Exception;

    default void close() throws Exception {}
}
