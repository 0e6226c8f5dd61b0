package io.tidemark.checkpoint.coordinator;

import io.tidemark.backend.snapshot.SnapshotKind;
import io.tidemark.checkpoint.storage.FileSnapshotStorage;
import io.tidemark.checkpoint.storage.PendingCheckpoint;
import java.util.ArrayList;
import java.util.List;

/** A triggered checkpoint or savepoint waiting for the acknowledgements of all tasks. Guarded by the coordinator. */
final class InFlightCheckpoint {
    final long checkpointId;
    final long triggeredAtNanos;
    final PendingCheckpoint pending;
    final FileSnapshotStorage storage;
    /** Non-null for a savepoint. */
    final SavepointRequest savepoint;
    /** The last checkpoint of a bounded input: when it completes the sources end their input. */
    final boolean isFinal;

    private final TaskSnapshot[] acks;
    private int ackCount;

    InFlightCheckpoint(
            long checkpointId,
            long triggeredAtNanos,
            PendingCheckpoint pending,
            int taskCount,
            SavepointRequest savepoint,
            boolean isFinal) {
        this.checkpointId = checkpointId;
        this.triggeredAtNanos = triggeredAtNanos;
        this.pending = pending;
        this.storage = FileSnapshotStorage.of(pending);
        this.acks = new TaskSnapshot[taskCount];
        this.savepoint = savepoint;
        this.isFinal = isFinal;
    }

    /** Savepoints are canonical (readable by every backend); checkpoints are the backends' incremental format. */
    SnapshotKind kind() {
        return savepoint != null ? SnapshotKind.CANONICAL : SnapshotKind.INCREMENTAL;
    }

    /**
     * Records a task's acknowledgement.
     *
     * @return true when this was the last missing one
     * @throws IllegalArgumentException for an unknown task index or a second acknowledgement by the same task
     */
    boolean acknowledge(TaskSnapshot snapshot) {
        int i = snapshot.taskIndex();
        if (i >= acks.length) {
            throw new IllegalArgumentException(
                    "task index out of range: checkpoint=" + checkpointId + ", task=" + i + ", tasks=" + acks.length);
        }
        if (acks[i] != null) {
            throw new IllegalArgumentException("task acknowledged twice: checkpoint=" + checkpointId + ", task=" + i);
        }
        acks[i] = snapshot;
        return ++ackCount == acks.length;
    }

    int ackCount() {
        return ackCount;
    }

    List<TaskSnapshot> snapshots() {
        List<TaskSnapshot> list = new ArrayList<>(acks.length);
        for (TaskSnapshot s : acks) {
            list.add(s);
        }
        return list;
    }
}
