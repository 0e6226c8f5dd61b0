package io.tidemark.checkpoint.coordinator;

/**
 * When the next checkpoint may start: {@code interval} after the previous start, {@code minPause} after the previous
 * end, and only while fewer than {@code maxConcurrent} are in flight. Pure; times are {@link System#nanoTime()}
 * values, {@link Long#MIN_VALUE} meaning "never".
 */
final class TriggerSchedule {
    private final long intervalNanos;
    private final long minPauseNanos;
    private final int maxConcurrent;

    TriggerSchedule(CheckpointCoordinatorConfig config) {
        this.intervalNanos = config.interval().toNanos();
        this.minPauseNanos = config.minPause().toNanos();
        this.maxConcurrent = config.maxConcurrent();
    }

    boolean isDue(long now, int inFlight, long lastStart, long lastEnd) {
        if (inFlight >= maxConcurrent) {
            return false;
        }
        if (minPauseNanos > 0 && inFlight > 0) {
            return false; // a pause is measured from an end, so it only starts once nothing is in flight
        }
        boolean intervalPassed = lastStart == Long.MIN_VALUE || now - lastStart >= intervalNanos;
        boolean pausePassed = lastEnd == Long.MIN_VALUE || now - lastEnd >= minPauseNanos;
        return intervalPassed && pausePassed;
    }
}
