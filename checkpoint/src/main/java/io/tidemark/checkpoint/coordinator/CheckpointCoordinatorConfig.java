package io.tidemark.checkpoint.coordinator;

import io.tidemark.ConfigurationException;
import java.time.Duration;

/**
 * Configuration of a {@link CheckpointCoordinator}, validated at construction with errors that name the setting, its
 * value and the allowed range.
 *
 * @param interval time between the starts of two checkpoints
 * @param minPause minimum time between the end of one checkpoint and the start of the next (zero: none)
 * @param timeout a checkpoint not complete after this long expires
 * @param maxConcurrent how many checkpoints may be in flight at once, at least 1
 * @param tolerableConsecutiveFailures how many checkpoints in a row may fail (abort or expire) before the coordinator
 *     gives up and reports a fatal error; 0 = the first failure is fatal
 */
public record CheckpointCoordinatorConfig(
        Duration interval, Duration minPause, Duration timeout, int maxConcurrent, int tolerableConsecutiveFailures) {
    public static final int MAX_CONCURRENT_LIMIT = 64;

    public CheckpointCoordinatorConfig {
        positive("checkpoint interval", interval);
        if (minPause == null || minPause.isNegative()) {
            throw new ConfigurationException("checkpoint min pause must be >= 0: minPause=" + minPause);
        }
        positive("checkpoint timeout", timeout);
        if (maxConcurrent < 1 || maxConcurrent > MAX_CONCURRENT_LIMIT) {
            throw new ConfigurationException("max concurrent checkpoints out of range: maxConcurrent=" + maxConcurrent
                    + ", allowed=[1, " + MAX_CONCURRENT_LIMIT + "]");
        }
        if (tolerableConsecutiveFailures < 0) {
            throw new ConfigurationException(
                    "tolerable consecutive checkpoint failures must be >= 0: value=" + tolerableConsecutiveFailures);
        }
    }

    /** Interval 10 s, no min pause, timeout 10 min, one at a time, 3 tolerable failures. */
    public static CheckpointCoordinatorConfig defaults() {
        return new CheckpointCoordinatorConfig(Duration.ofSeconds(10), Duration.ZERO, Duration.ofMinutes(10), 1, 3);
    }

    private static void positive(String what, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new ConfigurationException(what + " must be > 0: value=" + d);
        }
    }
}
