package io.tidemark.checkpoint.restore;

import io.tidemark.ConfigurationException;
import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.backend.OperatorStateBackend;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.OperatorStateHandle;
import io.tidemark.backend.snapshot.SnapshotReader;
import io.tidemark.checkpoint.storage.CrashPoint;
import io.tidemark.keygroup.KeyGroupRange;
import java.util.List;

/**
 * What one new subtask restores: the keyed handles whose key-group ranges intersect its own range (the backend keeps
 * only its key groups) and the operator handles of every old subtask in old-subtask order (the operator state backend
 * redistributes them by each state's mode). Immutable.
 */
public record TaskRestore(
        int subtaskIndex,
        int parallelism,
        KeyGroupRange keyGroupRange,
        List<KeyedStateHandle> keyedHandles,
        List<OperatorStateHandle> operatorHandles) {
    public TaskRestore {
        keyedHandles = List.copyOf(keyedHandles);
        operatorHandles = List.copyOf(operatorHandles);
    }

    /**
     * Loads this subtask's state into freshly created backends, through the SPI. Call on the operator thread, once,
     * before any state access. Either backend may be {@code null} when the operator has no such state.
     *
     * @param reader a reader over the planned checkpoint ({@link RestorePlan#reader()})
     * @throws ConfigurationException if the keyed backend owns another key-group range than planned, or a backend is
     *     missing for state the snapshot holds
     * @throws io.tidemark.CorruptCheckpointException if a stream fails verification
     */
    public void restore(KeyedStateBackend<?> keyed, OperatorStateBackend operator, SnapshotReader reader) {
        if (keyed == null && !keyedHandles.isEmpty() || operator == null && !operatorHandles.isEmpty()) {
            throw new ConfigurationException("the snapshot holds state for which no backend was given (it would be"
                    + " lost): subtask=" + subtaskIndex + ", keyedHandles=" + keyedHandles.size() + ", keyedBackend="
                    + (keyed != null) + ", operatorHandles=" + operatorHandles.size() + ", operatorBackend="
                    + (operator != null));
        }
        if (keyed != null) {
            if (!keyed.keyGroupRange().equals(keyGroupRange)) {
                throw new ConfigurationException("keyed backend range differs from the restore plan: subtask="
                        + subtaskIndex + ", backendRange=" + keyed.keyGroupRange() + ", plannedRange="
                        + keyGroupRange);
            }
            keyed.restore(keyedHandles, reader);
        }
        CrashPoint.hit(CrashPoint.DURING_RESTORE);
        if (operator != null) {
            operator.restore(operatorHandles, reader, subtaskIndex, parallelism);
        }
    }
}
