package io.tidemark.checkpoint.restore;

import io.tidemark.checkpoint.storage.CheckpointSnapshotReader;
import java.util.List;

/**
 * How one operator restores from a verified checkpoint or savepoint at a (possibly new) parallelism: one {@link
 * TaskRestore} per new subtask, and the reader every subtask restores through. Built by {@link RestorePlanner}, which
 * verified every file the plan needs. Immutable; the reader is thread-safe, so subtasks may restore in parallel.
 */
public record RestorePlan(
        String operatorId,
        int oldParallelism,
        int parallelism,
        int maxParallelism,
        List<TaskRestore> tasks,
        CheckpointSnapshotReader reader) {
    public RestorePlan {
        tasks = List.copyOf(tasks);
    }

    public TaskRestore task(int subtaskIndex) {
        return tasks.get(subtaskIndex);
    }
}
