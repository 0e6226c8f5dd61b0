package io.tidemark.pipeline.runtime;

import io.tidemark.CorruptCheckpointException;
import io.tidemark.backend.snapshot.StreamHandle;
import io.tidemark.checkpoint.job.JobSnapshot;
import io.tidemark.checkpoint.job.OperatorSnapshot;
import io.tidemark.checkpoint.job.SubtaskState;
import io.tidemark.checkpoint.storage.CompletedCheckpoint;
import io.tidemark.pipeline.metrics.JobMetrics;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The checkpoints of a run for {@code GET /checkpoints}: completed and aborted, with duration, longest synchronous
 * pause, bytes, and incremental bytes (bytes of streams the previous completed checkpoint did not reference); also
 * records every completed checkpoint in the run's {@link JobMetrics} (the checkpoint metric families, JMX and
 * {@code GET /health}), whoever else observes the run. Sits in front of the run's own listener and forwards every
 * event to it unchanged. Incremental bytes are computed from the
 * checkpoint's metadata on a thread of its own, never on the coordinator's; until then, and when the metadata was
 * already superseded, they are unknown ({@code -1}).
 */
public final class CheckpointHistory implements JobRunner.Events {
    private static final long NANOS_PER_MICRO = 1_000;
    /** One checkpoint; {@code incrementalBytes} -1 while unknown; {@code reason} for aborted ones. */
    public record Entry(
            long id,
            String status,
            long durationMillis,
            long syncPauseMicros,
            long bytes,
            long incrementalBytes,
            String reason) {}

    private static final int MAX_ENTRIES = 1_000;

    private final JobRunner.Events delegate;
    private final Supplier<CompletedCheckpoint> latest;
    private final JobMetrics metrics;
    private final List<Entry> entries = new ArrayList<>();
    private final ExecutorService sizing = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tidemark-checkpoint-history");
        t.setDaemon(true);
        return t;
    });
    private Set<String> previousStreams;

    /**
     * @param delegate the run's listener, called first for every event
     * @param latest the newest completed checkpoint, or {@code null}
     * @param metrics the run's metrics, told of every completed checkpoint
     */
    public CheckpointHistory(JobRunner.Events delegate, Supplier<CompletedCheckpoint> latest, JobMetrics metrics) {
        this.delegate = delegate;
        this.latest = latest;
        this.metrics = metrics;
    }

    public synchronized List<Entry> entries() {
        return new ArrayList<>(entries);
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
        add(new Entry(id, "COMPLETED", durationMillis, maxSyncPauseNanos / NANOS_PER_MICRO, bytes, -1, null));
        sizing.execute(() -> size(id));
    }

    @Override
    public void aborted(long id, String reason) {
        delegate.aborted(id, reason);
        add(new Entry(id, "ABORTED", -1, -1, -1, -1, reason));
    }

    private synchronized void add(Entry entry) {
        entries.add(entry);
        if (entries.size() > MAX_ENTRIES) {
            entries.remove(0);
        }
    }

    private void size(long id) {
        CompletedCheckpoint checkpoint;
        List<OperatorSnapshot> operators;
        try {
            checkpoint = latest.get();
            if (checkpoint == null || checkpoint.checkpointId() != id) {
                previousStreams = null;
                return;
            }
            operators = JobSnapshot.of(checkpoint).operators();
        } catch (RuntimeException e) {
            return;
        }
        Set<String> streams = new HashSet<>();
        long incremental = 0;
        for (OperatorSnapshot operator : operators) {
            for (SubtaskState task : operator.subtasks()) {
                for (StreamHandle h : task.streams()) {
                    if (streams.add(h.name()) && (previousStreams == null || !previousStreams.contains(h.name()))) {
                        incremental += h.length();
                    }
                }
            }
        }
        previousStreams = streams;
        setIncremental(id, incremental);
    }

    private synchronized void setIncremental(long id, long incremental) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            Entry e = entries.get(i);
            if (e.id() == id && e.status().equals("COMPLETED")) {
                entries.set(
                        i,
                        new Entry(
                                e.id(),
                                e.status(),
                                e.durationMillis(),
                                e.syncPauseMicros(),
                                e.bytes(),
                                incremental,
                                null));
                break;
            }
        }
    }
}
