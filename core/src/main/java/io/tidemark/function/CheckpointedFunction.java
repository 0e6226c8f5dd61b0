package io.tidemark.function;

import io.tidemark.backend.OperatorStateStore;

/**
 * A function with operator (non-keyed) state, such as a source's offsets or a sink's pending transactions. Both
 * methods run on the operator thread.
 */
public interface CheckpointedFunction {
    /** Called in the synchronous part of checkpoint {@code checkpointId}: write what must be restored into the state. */
    void snapshotState(long checkpointId) throws Exception;

    /**
     * Called once before processing: create operator state through {@code store}; when {@code restored} is true the
     * state holds what this instance received from the restored checkpoint (after redistribution).
     */
    void initializeState(OperatorStateStore store, boolean restored) throws Exception;
}
