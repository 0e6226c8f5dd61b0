package io.tidemark.pipeline.metrics;

import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.backend.StateMemory;
import org.HdrHistogram.Histogram;

/**
 * Counters of one operator instance. Written by the operator thread only; other threads read them racily for progress
 * lines (64-bit plain reads, never torn on the supported 64-bit JVMs) and exactly after the thread was joined.
 */
public final class TaskMetrics {
    /**
     * Latency is sampled, one record in {@code LATENCY_SAMPLE_MASK + 1} (the clock read and the histogram update cost
     * more than the rest of a record's trip through a ring): percentiles stay unbiased, counts are of samples.
     */
    public static final int LATENCY_SAMPLE_MASK = 15;

    private final String task;
    /** The instance's keyed backend, read only through {@link KeyedStateBackend#memoryUsage()}; null if not keyed. */
    private final KeyedStateBackend<?> keyedState;

    private final Histogram endToEndLatencyNanos = new Histogram(3_600_000_000_000L, 3);
    private final Histogram inputLatencyNanos = new Histogram(3_600_000_000_000L, 3);
    public long recordsIn;
    public long recordsDropped;
    public long alignmentNanos;
    public long lastSyncPauseNanos;

    /** Metrics of an instance without keyed state. */
    public TaskMetrics(String task) {
        this(task, null);
    }

    /**
     * @param task {@code operator#subtask}
     * @param keyedState the instance's keyed backend, whose {@link KeyedStateBackend#memoryUsage()} a scrape reads from
     *     another thread; {@code null} if the operator is not keyed
     */
    public TaskMetrics(String task, KeyedStateBackend<?> keyedState) {
        this.task = task;
        this.keyedState = keyedState;
    }

    public String task() {
        return task;
    }

    /** Whether the instance has keyed state (and so a {@link #stateMemory()} to report). */
    public boolean keyed() {
        return keyedState != null;
    }

    /** Resident and spilled bytes of the instance's keyed state; any thread (racy, see the backend's SPI). */
    public StateMemory stateMemory() {
        return keyedState == null ? StateMemory.UNKNOWN : keyedState.memoryUsage();
    }

    /** Records the time from source emission to now; allocation-free. */
    public void recordLatency(long originNanos) {
        long latency = System.nanoTime() - originNanos;
        if (latency >= 0 && latency < endToEndLatencyNanos.getHighestTrackableValue()) {
            endToEndLatencyNanos.recordValue(latency);
        }
    }

    /** Records the time from source emission of the record being received to now (per-edge latency); no allocation. */
    public void recordInputLatency(long originNanos) {
        long latency = System.nanoTime() - originNanos;
        if (latency >= 0 && latency < inputLatencyNanos.getHighestTrackableValue()) {
            inputLatencyNanos.recordValue(latency);
        }
    }

    public Histogram inputLatencyNanos() {
        return inputLatencyNanos;
    }

    public Histogram endToEndLatencyNanos() {
        return endToEndLatencyNanos;
    }
}
