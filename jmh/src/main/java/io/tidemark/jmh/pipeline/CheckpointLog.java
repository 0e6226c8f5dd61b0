package io.tidemark.jmh.pipeline;

import io.tidemark.pipeline.runtime.JobRunner;
import java.util.ArrayList;
import java.util.List;

/**
 * The run's checkpoints as {@link JobRunner} reports them: when each completed and its longest synchronous pause, and
 * how many were aborted. Called from runtime threads; synchronized (once per checkpoint, cold path).
 */
final class CheckpointLog implements JobRunner.Events {
    private final List<long[]> completed = new ArrayList<>();
    private int aborted;

    @Override
    public synchronized void completed(
            long id, String location, long bytes, long durationMillis, long maxSyncPauseNanos) {
        completed.add(new long[] {System.nanoTime(), maxSyncPauseNanos});
    }

    @Override
    public synchronized void aborted(long id, String reason) {
        aborted++;
        System.err.println("PIPELINE-LATENCY checkpoint " + id + " aborted: " + reason);
    }

    synchronized int completed() {
        return completed.size();
    }

    synchronized int aborted() {
        return aborted;
    }

    /** Checkpoints completed in [from, to) ({@code nanoTime}). */
    synchronized int completedBetween(long from, long to) {
        int n = 0;
        for (long[] c : completed) {
            if (c[0] >= from && c[0] < to) {
                n++;
            }
        }
        return n;
    }

    /** The longest synchronous pause (ns) of the checkpoints completed in [from, to); 0 if none. */
    synchronized long maxSyncPauseBetween(long from, long to) {
        long max = 0;
        for (long[] c : completed) {
            if (c[0] >= from && c[0] < to) {
                max = Math.max(max, c[1]);
            }
        }
        return max;
    }
}
