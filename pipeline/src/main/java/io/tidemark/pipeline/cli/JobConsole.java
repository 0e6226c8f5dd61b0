package io.tidemark.pipeline.cli;

import io.tidemark.pipeline.metrics.JobMetrics;
import io.tidemark.pipeline.runtime.JobRunner;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * What a run prints. Protocol lines on stdout that harnesses rely on: {@code READY attempt=A restored=N|none} once the
 * pipeline runs, {@code CHECKPOINT_COMPLETED id=N ...} after each commit. Progress: one refreshing line on a terminal,
 * plain lines every few seconds otherwise. Failures and restarts go to stderr.
 */
public final class JobConsole implements JobRunner.Events {
    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal = System.console() != null;
    private final AtomicLong lastCheckpoint = new AtomicLong();
    private final AtomicLong lastCheckpointBytes = new AtomicLong();
    private volatile JobMetrics metrics;
    private Thread progress;

    /** Prints events to {@code out}, failures to {@code err}. */
    public JobConsole(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Starts the progress line (on a terminal) for the job whose metrics these are. */
    public void start(JobMetrics jobMetrics) {
        this.metrics = jobMetrics;
        progress = new Thread(this::progressLoop, "tidemark-progress");
        progress.setDaemon(true);
        progress.start();
    }

    /** Stops the progress line. */
    public void stop() {
        if (progress != null) {
            progress.interrupt();
        }
        if (terminal) {
            out.print("\r\033[K");
            out.flush();
        }
    }

    @Override
    public void ready(int attempt, Long restoredCheckpoint) {
        println("READY attempt=" + attempt + " restored=" + (restoredCheckpoint == null ? "none" : restoredCheckpoint));
    }

    @Override
    public void restarting(int attempt, Throwable cause, long delayMillis) {
        err.println("tidemark: pipeline failed, restarting from the latest completed checkpoint in " + delayMillis
                + " ms (attempt " + attempt + "): " + Launcher.describe(cause));
    }

    @Override
    public void completed(long id, String location, long bytes, long durationMillis, long maxSyncPauseNanos) {
        lastCheckpoint.set(id);
        lastCheckpointBytes.set(bytes);
        println("CHECKPOINT_COMPLETED id=" + id + " bytes=" + bytes + " duration_ms=" + durationMillis
                + " sync_pause_us=" + maxSyncPauseNanos / 1000);
    }

    @Override
    public void skippedCorruptCheckpoint(io.tidemark.CorruptCheckpointException reason) {
        err.println(
                "tidemark: --restore-fallback: skipped a checkpoint that fails verification: " + reason.getMessage());
    }

    @Override
    public void aborted(long id, String reason) {
        err.println("tidemark: checkpoint " + id + " aborted: " + reason);
    }

    private synchronized void println(String line) {
        if (terminal) {
            out.print("\r\033[K");
        }
        out.println(line);
        out.flush();
    }

    private void progressLoop() {
        long previous = 0;
        long previousNanos = System.nanoTime();
        try {
            while (true) {
                Thread.sleep(terminal ? 500 : 5000);
                long now = System.nanoTime();
                long records = metrics.sourceRecordsAllAttempts();
                double rate = (records - previous) * 1e9 / Math.max(1, now - previousNanos);
                previous = records;
                previousNanos = now;
                String line = String.format(
                        Locale.ROOT,
                        "progress records=%d rate=%.0f/s checkpoint=%d state_bytes=%d",
                        records,
                        rate,
                        lastCheckpoint.get(),
                        lastCheckpointBytes.get());
                synchronized (this) {
                    if (terminal) {
                        out.print("\r\033[K" + line);
                    } else {
                        out.println(line);
                    }
                    out.flush();
                }
            }
        } catch (InterruptedException e) {
            // run finished
        }
    }

    /** Prints the end-of-job summary. */
    public void summary(JobRunner.Result result) {
        JobMetrics m = result.metrics();
        double seconds = m.elapsedSeconds();
        long records = m.sourceRecordsAllAttempts();
        Histogram latency = m.sinkLatency();
        List<JobMetrics.CheckpointStat> checkpoints = m.checkpoints();
        long maxBytes = 0;
        long totalBytes = 0;
        long maxPause = 0;
        for (JobMetrics.CheckpointStat c : checkpoints) {
            maxBytes = Math.max(maxBytes, c.bytes());
            totalBytes += c.bytes();
            maxPause = Math.max(maxPause, c.syncPauseMicrosMax());
        }
        println("SUMMARY");
        println(String.format(
                Locale.ROOT,
                "  records          %d emitted by the sources (replays after restores included; late and malformed excluded)",
                records));
        println(String.format(Locale.ROOT, "  elapsed          %.2f s", seconds));
        println(String.format(Locale.ROOT, "  throughput       %.0f records/s", records / Math.max(1e-9, seconds)));
        for (String operator : m.receivingOperators()) {
            Histogram edge = m.inputLatency(operator);
            println(String.format(
                    Locale.ROOT,
                    "  record latency   source -> %s: p50=%.1f us p99=%.1f us p99.9=%.1f us (%d samples, 1 record in 16)",
                    operator,
                    edge.getValueAtPercentile(50) / 1e3,
                    edge.getValueAtPercentile(99) / 1e3,
                    edge.getValueAtPercentile(99.9) / 1e3,
                    edge.getTotalCount()));
        }
        println(String.format(
                Locale.ROOT,
                "  output latency   p50=%.1f us p99=%.1f us p99.9=%.1f us max=%.1f us (%d samples, 1 output in 16, from the source event that completed it)",
                latency.getValueAtPercentile(50) / 1e3,
                latency.getValueAtPercentile(99) / 1e3,
                latency.getValueAtPercentile(99.9) / 1e3,
                latency.getMaxValue() / 1e3,
                latency.getTotalCount()));
        println(String.format(
                Locale.ROOT,
                "  checkpoints      %d completed, last id=%d, size avg=%d B max=%d B, max sync pause=%d us",
                checkpoints.size(),
                lastCheckpoint.get(),
                checkpoints.isEmpty() ? 0 : totalBytes / checkpoints.size(),
                maxBytes,
                maxPause));
        println(String.format(Locale.ROOT, "  restarts         %d", result.restarts()));
    }
}
