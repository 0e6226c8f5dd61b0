package io.tidemark.checkpoint.job;

import io.tidemark.ConfigurationException;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.OperatorStateHandle;
import io.tidemark.backend.snapshot.StreamHandle;
import io.tidemark.checkpoint.coordinator.TaskSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The snapshot of one operator instance (subtask): where it sat ({@code operatorId}, {@code subtaskIndex} of {@code
 * parallelism}, {@code maxParallelism}), the handles its keyed and operator state backends returned, and a listing of
 * its states. Source offsets are operator state of the source operator (a union or split list state), so they travel in
 * {@link #operatorHandles()} like any other operator state. Immutable; encoded by {@link SubtaskStateCodec}.
 *
 * @param keyedHandles one or more keyed handles (none for an operator without keyed state)
 * @param operatorHandles zero or one handle per operator state backend of the subtask
 * @param states listing for inspection only; restore never depends on it
 */
public record SubtaskState(
        String operatorId,
        int subtaskIndex,
        int parallelism,
        int maxParallelism,
        List<KeyedStateHandle> keyedHandles,
        List<OperatorStateHandle> operatorHandles,
        List<StateDescription> states) {
    public SubtaskState {
        if (operatorId == null || operatorId.isEmpty()) {
            throw new ConfigurationException("operator id missing in subtask state");
        }
        if (parallelism < 1 || maxParallelism < parallelism || subtaskIndex < 0 || subtaskIndex >= parallelism) {
            throw new ConfigurationException("subtask coordinates out of range: operator=" + operatorId
                    + ", subtaskIndex=" + subtaskIndex + ", parallelism=" + parallelism + ", maxParallelism="
                    + maxParallelism);
        }
        keyedHandles = List.copyOf(keyedHandles);
        operatorHandles = List.copyOf(operatorHandles);
        states = List.copyOf(Objects.requireNonNull(states, "states"));
    }

    /** Every stream this subtask's handles reference, each once, in handle order. */
    public List<StreamHandle> streams() {
        Set<StreamHandle> all = new LinkedHashSet<>();
        for (KeyedStateHandle h : keyedHandles) {
            all.addAll(h.streams());
        }
        for (OperatorStateHandle h : operatorHandles) {
            all.add(h.stream());
        }
        return new ArrayList<>(all);
    }

    /** This subtask's acknowledgement for the {@link io.tidemark.checkpoint.coordinator.CheckpointCoordinator}. */
    public TaskSnapshot toTaskSnapshot(int taskIndex) {
        return new TaskSnapshot(taskIndex, SubtaskStateCodec.encode(this), streams());
    }
}
