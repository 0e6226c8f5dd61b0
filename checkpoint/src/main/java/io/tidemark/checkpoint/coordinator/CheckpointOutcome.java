package io.tidemark.checkpoint.coordinator;

import io.tidemark.checkpoint.storage.CompletedCheckpoint;
import java.time.Duration;

/** How a triggered checkpoint ended. Exactly one outcome is reported per checkpoint id (savepoints report none). */
public sealed interface CheckpointOutcome {
    long checkpointId();

    /** Committed: its {@code _metadata} is durable; {@code duration} from trigger to commit. */
    record Completed(long checkpointId, CompletedCheckpoint checkpoint, Duration duration)
            implements CheckpointOutcome {}

    /** Given up: a task declined, a storage operation failed, or the coordinator shut down; its files are deleted. */
    record Aborted(long checkpointId, String reason, Throwable cause) implements CheckpointOutcome {}

    /** Not acknowledged by every task within the timeout; its files are deleted. */
    record Expired(long checkpointId, Duration timeout) implements CheckpointOutcome {}
}
