package io.tidemark.pipeline.runtime;

import io.tidemark.checkpoint.coordinator.CheckpointOutcome;
import io.tidemark.checkpoint.coordinator.CheckpointOutcomeListener;
import io.tidemark.checkpoint.format.FileReference;
import io.tidemark.checkpoint.format.InlineStream;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns the coordinator's outcomes into the run's {@link JobRunner.Events}: a completed checkpoint with its location,
 * bytes on disk (every file its {@code _metadata} lists, shared ones included), duration and the longest synchronous
 * pause any task reported for it. Thread-safe: pauses arrive from task threads, outcomes from the coordinator's.
 */
final class CheckpointReporter implements CheckpointOutcomeListener {
    private final JobRunner.Events events;
    private final ConcurrentHashMap<Long, Long> maxSyncPause = new ConcurrentHashMap<>();

    CheckpointReporter(JobRunner.Events events) {
        this.events = events;
    }

    void syncPause(long checkpointId, long nanos) {
        maxSyncPause.merge(checkpointId, nanos, Math::max);
    }

    @Override
    public void onOutcome(CheckpointOutcome outcome) {
        Long pause = maxSyncPause.remove(outcome.checkpointId());
        // savepoints report no outcome: drop their pauses with the next checkpoint's
        maxSyncPause.keySet().removeIf(id -> id < outcome.checkpointId());
        if (outcome instanceof CheckpointOutcome.Completed done) {
            long bytes = 0;
            for (FileReference f : done.checkpoint().metadata().files()) {
                bytes += f.length();
            }
            for (InlineStream s : done.checkpoint().metadata().inline()) {
                bytes += s.length(); // operator state kept inside _metadata
            }
            events.completed(
                    done.checkpointId(),
                    done.checkpoint().directory().toString(),
                    bytes,
                    done.duration().toMillis(),
                    pause == null ? 0 : pause);
        } else if (outcome instanceof CheckpointOutcome.Aborted a) {
            events.aborted(a.checkpointId(), a.reason());
        } else if (outcome instanceof CheckpointOutcome.Expired e) {
            events.aborted(e.checkpointId(), "timed out after " + e.timeout().toMillis() + " ms");
        }
    }
}
