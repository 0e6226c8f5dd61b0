package io.tidemark.pipeline.runtime;

import io.tidemark.backend.snapshot.SnapshotStorage;
import io.tidemark.checkpoint.coordinator.TaskGateway;
import java.util.List;

/**
 * The coordinator's gateway to one attempt's tasks: barriers start at the sources, completions and aborts go to every
 * task, the end of input to the sources. Each call only enqueues mail for the task threads. Immutable.
 */
final class TaskFanout implements TaskGateway {
    private final List<Task> sources;
    private final List<Task> tasks;

    TaskFanout(List<Task> sources, List<Task> tasks) {
        this.sources = List.copyOf(sources);
        this.tasks = List.copyOf(tasks);
    }

    @Override
    public void triggerCheckpoint(long checkpointId, SnapshotStorage storage) {
        for (Task source : sources) {
            source.triggerCheckpoint(checkpointId);
        }
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        for (Task task : tasks) {
            task.notifyCheckpointComplete(checkpointId);
        }
    }

    @Override
    public void notifyCheckpointAborted(long checkpointId) {
        for (Task task : tasks) {
            task.notifyCheckpointAborted(checkpointId);
        }
    }

    @Override
    public void endInput() {
        for (Task source : sources) {
            source.endInput();
        }
    }
}
