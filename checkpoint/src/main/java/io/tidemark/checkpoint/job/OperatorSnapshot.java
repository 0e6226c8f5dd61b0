package io.tidemark.checkpoint.job;

import io.tidemark.CorruptCheckpointException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The state of one operator in a job snapshot: its id, the parallelism and maxParallelism it ran with, and one
 * {@link SubtaskState} per subtask, ordered by subtask index (0..parallelism-1, each exactly once). Immutable.
 */
public record OperatorSnapshot(String operatorId, int parallelism, int maxParallelism, List<SubtaskState> subtasks) {
    public OperatorSnapshot {
        subtasks = List.copyOf(subtasks);
    }

    /**
     * Groups subtask states of one operator and checks they form a whole: same parallelism and maxParallelism, every
     * index 0..parallelism-1 exactly once.
     *
     * @param file the {@code _metadata} they came from, for errors
     * @throws CorruptCheckpointException otherwise
     */
    static OperatorSnapshot of(List<SubtaskState> states, String file) {
        List<SubtaskState> sorted = new ArrayList<>(states);
        sorted.sort(Comparator.comparingInt(SubtaskState::subtaskIndex));
        SubtaskState first = sorted.get(0);
        for (int i = 0; i < sorted.size(); i++) {
            SubtaskState s = sorted.get(i);
            if (s.parallelism() != first.parallelism() || s.maxParallelism() != first.maxParallelism()) {
                throw new CorruptCheckpointException(
                        "subtasks of one operator disagree on parallelism: operator=" + first.operatorId(),
                        file,
                        0,
                        first.parallelism() + "/" + first.maxParallelism(),
                        s.parallelism() + "/" + s.maxParallelism());
            }
            if (s.subtaskIndex() != i) {
                throw new CorruptCheckpointException(
                        "subtask missing or duplicated: operator=" + first.operatorId(), file, 0, i, s.subtaskIndex());
            }
        }
        if (sorted.size() != first.parallelism()) {
            throw new CorruptCheckpointException(
                    "subtask count differs from parallelism: operator=" + first.operatorId(),
                    file,
                    0,
                    first.parallelism(),
                    sorted.size());
        }
        return new OperatorSnapshot(first.operatorId(), first.parallelism(), first.maxParallelism(), sorted);
    }
}
