package io.tidemark.checkpoint.restore;

import io.tidemark.ConfigurationException;
import io.tidemark.backend.canonical.CanonicalFormat;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.OperatorStateHandle;
import io.tidemark.backend.snapshot.StreamHandle;
import io.tidemark.checkpoint.fs.CheckpointFileSystem;
import io.tidemark.checkpoint.job.JobSnapshot;
import io.tidemark.checkpoint.job.OperatorSnapshot;
import io.tidemark.checkpoint.job.SubtaskState;
import io.tidemark.checkpoint.storage.CheckpointSnapshotReader;
import io.tidemark.checkpoint.storage.CompletedCheckpoint;
import io.tidemark.checkpoint.storage.CrashPoint;
import io.tidemark.keygroup.KeyGroupAssignment;
import io.tidemark.keygroup.KeyGroupRange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans the restore of one operator from a completed checkpoint or savepoint at parallelism {@code p'}: new subtask
 * {@code i} owns {@link KeyGroupAssignment#computeKeyGroupRangeForOperatorIndex} and gets the keyed handles whose
 * ranges intersect it; every subtask gets every operator handle (core redistributes). Before returning, every file the
 * plan needs is read completely and verified, so corruption is reported before any state is loaded.
 *
 * <p>Stateless; any thread. Control plane: allocates and reads every needed file once.
 */
public final class RestorePlanner {
    private RestorePlanner() {}

    /**
     * @param maxParallelism the maxParallelism the job runs with now; must equal the snapshot's
     * @throws ConfigurationException if the operator is not in the snapshot, maxParallelism differs (naming both
     *     values), or {@code parallelism} is outside [1, maxParallelism]; nothing was read then but {@code _metadata}
     * @throws io.tidemark.CorruptCheckpointException if a needed file is missing or fails verification, naming file,
     *     offset, expected and actual
     */
    public static RestorePlan plan(
            CheckpointFileSystem fs,
            CompletedCheckpoint checkpoint,
            String operatorId,
            int parallelism,
            int maxParallelism) {
        OperatorSnapshot old = JobSnapshot.of(checkpoint).operator(operatorId);
        if (old == null) {
            throw new ConfigurationException(
                    "operator not in snapshot: operator=" + operatorId + ", snapshot=" + checkpoint.directory());
        }
        if (old.maxParallelism() != maxParallelism) {
            throw new ConfigurationException("maxParallelism differs from the snapshot's, state cannot be restored:"
                    + " operator=" + operatorId + ", maxParallelism=" + maxParallelism + ", snapshot maxParallelism="
                    + old.maxParallelism() + " (maxParallelism is fixed for the life of the state)");
        }
        KeyGroupAssignment.checkParallelism(maxParallelism, parallelism);
        List<OperatorStateHandle> operatorHandles = new ArrayList<>();
        for (SubtaskState s : old.subtasks()) {
            operatorHandles.addAll(s.operatorHandles());
        }
        List<TaskRestore> tasks = new ArrayList<>(parallelism);
        for (int i = 0; i < parallelism; i++) {
            KeyGroupRange range =
                    KeyGroupAssignment.computeKeyGroupRangeForOperatorIndex(maxParallelism, parallelism, i);
            tasks.add(new TaskRestore(i, parallelism, range, keyedHandlesFor(old, range), operatorHandles));
        }
        CheckpointSnapshotReader reader = new CheckpointSnapshotReader(fs, checkpoint);
        verify(reader, tasks);
        CrashPoint.hit(CrashPoint.AFTER_RESTORE_VERIFY);
        return new RestorePlan(operatorId, old.parallelism(), parallelism, maxParallelism, tasks, reader);
    }

    static List<KeyedStateHandle> keyedHandlesFor(OperatorSnapshot old, KeyGroupRange range) {
        List<KeyedStateHandle> handles = new ArrayList<>();
        for (SubtaskState s : old.subtasks()) {
            for (KeyedStateHandle h : s.keyedHandles()) {
                if (!h.keyGroupRange().intersection(range).isEmpty()) {
                    handles.add(h);
                }
            }
        }
        return handles;
    }

    /** Reads each stream the plan needs once, completely; keyed data files must hold their handle's range. */
    private static void verify(CheckpointSnapshotReader reader, List<TaskRestore> tasks) {
        Map<StreamHandle, KeyGroupRange> needed = new LinkedHashMap<>();
        for (TaskRestore t : tasks) {
            for (KeyedStateHandle h : t.keyedHandles()) {
                for (StreamHandle s : h.streams()) {
                    // a canonical stream holds exactly its handle's range; native formats may lay files out otherwise
                    boolean canonical = CanonicalFormat.FORMAT_NAME.equals(h.format())
                            && h.streams().size() == 1;
                    needed.put(s, canonical ? h.keyGroupRange() : null);
                }
            }
            for (OperatorStateHandle h : t.operatorHandles()) {
                needed.put(h.stream(), null);
            }
        }
        for (Map.Entry<StreamHandle, KeyGroupRange> e : needed.entrySet()) {
            reader.verify(e.getKey(), e.getValue());
        }
    }
}
