package io.tidemark.pipeline.runtime;

import io.tidemark.CorruptCheckpointException;
import io.tidemark.pipeline.metrics.JobMetrics;

/**
 * Records every completed checkpoint in the run's {@link JobMetrics} (for the checkpoint metric families, JMX and
 * {@code GET /health}), whoever observes the run, then forwards every event unchanged to the run's own listener.
 */
final class MeteredEvents implements JobRunner.Events {
    private static final long NANOS_PER_MICRO = 1_000;

    private final JobRunner.Events delegate;
    private final JobMetrics metrics;

    MeteredEvents(JobRunner.Events delegate, JobMetrics metrics) {
        this.delegate = delegate;
        this.metrics = metrics;
    }

    @Override
    public void ready(int attempt, Long restoredCheckpoint) {
        delegate.ready(attempt, restoredCheckpoint);
    }

    @Override
    public void restarting(int attempt, Throwable cause, long delayMillis) {
        delegate.restarting(attempt, cause, delayMillis);
    }

    @Override
    public void skippedCorruptCheckpoint(CorruptCheckpointException reason) {
        delegate.skippedCorruptCheckpoint(reason);
    }

    @Override
    public void completed(long id, String location, long bytes, long durationMillis, long maxSyncPauseNanos) {
        metrics.checkpointCompleted(
                new JobMetrics.CheckpointStat(id, durationMillis, bytes, maxSyncPauseNanos / NANOS_PER_MICRO));
        delegate.completed(id, location, bytes, durationMillis, maxSyncPauseNanos);
    }

    @Override
    public void aborted(long id, String reason) {
        delegate.aborted(id, reason);
    }
}
