package io.tidemark.checkpoint.job;

import io.tidemark.ConfigurationException;
import io.tidemark.CorruptCheckpointException;
import io.tidemark.checkpoint.coordinator.CheckpointPayload;
import io.tidemark.checkpoint.coordinator.TaskSnapshot;
import io.tidemark.checkpoint.storage.CheckpointLayout;
import io.tidemark.checkpoint.storage.CompletedCheckpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a job checkpoint or savepoint holds, per operator: an {@link OperatorSnapshot} with one {@link
 * SubtaskState} per subtask. Stored as the {@code _metadata} payload ({@link CheckpointPayload}: one task per subtask,
 * each task's bytes a {@link SubtaskStateCodec} record), inside {@code _metadata}'s CRC32C and beside the list of every
 * referenced file with its length and CRC32C. Immutable; control plane.
 */
public record JobSnapshot(long checkpointId, boolean savepoint, List<OperatorSnapshot> operators) {
    public JobSnapshot {
        operators = List.copyOf(operators);
    }

    /** The operator called {@code operatorId}, or {@code null}. */
    public OperatorSnapshot operator(String operatorId) {
        for (OperatorSnapshot o : operators) {
            if (o.operatorId().equals(operatorId)) {
                return o;
            }
        }
        return null;
    }

    /** The task snapshots to commit: every subtask of every operator, numbered in operator then subtask order. */
    public List<TaskSnapshot> toTaskSnapshots() {
        List<TaskSnapshot> tasks = new ArrayList<>();
        for (OperatorSnapshot o : operators) {
            for (SubtaskState s : o.subtasks()) {
                tasks.add(s.toTaskSnapshot(tasks.size()));
            }
        }
        return tasks;
    }

    /** The {@code _metadata} payload of this snapshot. */
    public byte[] toPayload() {
        return CheckpointPayload.encode(toTaskSnapshots());
    }

    /**
     * Decodes the job snapshot of a completed checkpoint or savepoint whose tasks acknowledged with {@link
     * SubtaskState#toTaskSnapshot}.
     *
     * @throws CorruptCheckpointException if the payload is not a whole job snapshot, naming {@code _metadata}
     */
    public static JobSnapshot of(CompletedCheckpoint checkpoint) {
        String file = checkpoint.directory().resolve(CheckpointLayout.METADATA).toString();
        List<TaskSnapshot> tasks =
                CheckpointPayload.decode(checkpoint.metadata().payload(), file);
        return fromTasks(checkpoint.checkpointId(), checkpoint.metadata().savepoint(), tasks, file);
    }

    static JobSnapshot fromTasks(long checkpointId, boolean savepoint, List<TaskSnapshot> tasks, String file) {
        Map<String, List<SubtaskState>> byOperator = new LinkedHashMap<>();
        for (TaskSnapshot t : tasks) {
            SubtaskState s = SubtaskStateCodec.decode(t.state(), file);
            if (!t.streams().equals(s.streams())) {
                throw new CorruptCheckpointException(
                        "task streams differ from its handles: operator=" + s.operatorId(),
                        file,
                        0,
                        s.streams(),
                        t.streams());
            }
            byOperator.computeIfAbsent(s.operatorId(), k -> new ArrayList<>()).add(s);
        }
        List<OperatorSnapshot> operators = new ArrayList<>();
        for (List<SubtaskState> states : byOperator.values()) {
            operators.add(OperatorSnapshot.of(states, file));
        }
        return new JobSnapshot(checkpointId, savepoint, operators);
    }

    /** Builds a job snapshot from subtask states, checking each operator is whole. */
    public static JobSnapshot of(long checkpointId, boolean savepoint, List<SubtaskState> subtasks) {
        Map<String, List<SubtaskState>> byOperator = new LinkedHashMap<>();
        for (SubtaskState s : subtasks) {
            byOperator.computeIfAbsent(s.operatorId(), k -> new ArrayList<>()).add(s);
        }
        List<OperatorSnapshot> operators = new ArrayList<>();
        for (List<SubtaskState> states : byOperator.values()) {
            try {
                operators.add(OperatorSnapshot.of(states, "(in memory)"));
            } catch (CorruptCheckpointException e) {
                throw new ConfigurationException("incomplete job snapshot: " + e.getMessage(), e);
            }
        }
        return new JobSnapshot(checkpointId, savepoint, operators);
    }
}
