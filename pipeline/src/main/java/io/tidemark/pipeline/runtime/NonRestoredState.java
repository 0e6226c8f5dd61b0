package io.tidemark.pipeline.runtime;

import io.tidemark.ConfigurationException;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.OperatorStateHandle;
import io.tidemark.checkpoint.fs.CheckpointFileSystem;
import io.tidemark.checkpoint.job.JobSnapshot;
import io.tidemark.checkpoint.job.OperatorSnapshot;
import io.tidemark.checkpoint.job.SubtaskState;
import io.tidemark.checkpoint.offline.OperatorStateStream;
import io.tidemark.checkpoint.storage.CheckpointSnapshotReader;
import io.tidemark.checkpoint.storage.CompletedCheckpoint;
import io.tidemark.pipeline.operator.PlanNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Flink's rule for a changed job (RELIABILITY.md P10, test R4): a snapshot that holds state of an operator the job no
 * longer has (renamed or removed) is refused, naming those operators, unless the run explicitly allows non-restored
 * state. An operator whose snapshot holds no state at all (a stateless map or filter) never blocks a restore.
 * Stateless; called once per run before the first attempt; reads the operator-state streams of missing operators.
 */
final class NonRestoredState {
    private NonRestoredState() {}

    /**
     * @throws ConfigurationException naming every operator with state the job lacks, unless {@code allow}
     */
    static void check(
            JobSnapshot job,
            CompletedCheckpoint snapshot,
            CheckpointFileSystem fs,
            List<PlanNode> nodes,
            boolean allow) {
        Set<String> present = new HashSet<>();
        for (PlanNode node : nodes) {
            present.add(node.name());
        }
        CheckpointSnapshotReader reader = new CheckpointSnapshotReader(fs, snapshot);
        List<String> missing = new ArrayList<>();
        for (OperatorSnapshot operator : job.operators()) {
            if (!present.contains(operator.operatorId()) && hasState(operator, reader)) {
                missing.add(operator.operatorId());
            }
        }
        if (!missing.isEmpty() && !allow) {
            throw new ConfigurationException("the snapshot holds state of operators this job does not have (renamed or"
                    + " removed): operators=" + missing + ", job operators=" + present + ", snapshot="
                    + snapshot.directory() + "; restoring would drop that state. Restore with"
                    + " --allow-non-restored-state to drop it deliberately");
        }
    }

    private static boolean hasState(OperatorSnapshot operator, CheckpointSnapshotReader reader) {
        for (SubtaskState s : operator.subtasks()) {
            if (!s.states().isEmpty()) {
                return true;
            }
            for (KeyedStateHandle h : s.keyedHandles()) {
                if (!h.streams().isEmpty()) {
                    return true;
                }
            }
            for (OperatorStateHandle h : s.operatorHandles()) {
                if (!OperatorStateStream.read(h, reader, NonRestoredState.class.getClassLoader())
                        .isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }
}
