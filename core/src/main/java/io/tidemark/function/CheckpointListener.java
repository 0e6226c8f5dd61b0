package io.tidemark.function;

/**
 * Told when a checkpoint this function took part in is committed or given up. Called on the operator thread, after the
 * checkpoint's metadata is durable (complete) or after it was aborted; a checkpoint may be skipped by a later one, so
 * implementations treat "complete N" as "everything up to N is committed".
 */
public interface CheckpointListener {
    void notifyCheckpointComplete(long checkpointId) throws Exception;

    default void notifyCheckpointAborted(long checkpointId) throws Exception {}
}
