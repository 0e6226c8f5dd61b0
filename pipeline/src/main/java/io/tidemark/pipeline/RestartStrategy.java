package io.tidemark.pipeline;

import io.tidemark.ConfigurationException;
import java.time.Duration;

/**
 * How often and how soon the whole pipeline is restarted from the latest completed checkpoint after a failure.
 *
 * @param maxAttempts restarts allowed in the life of the job (0: fail on the first error)
 * @param initialDelay delay before the first restart
 * @param backoffMultiplier 1 for a fixed delay, greater for exponential backoff
 * @param maxDelay cap of the backoff
 */
public record RestartStrategy(int maxAttempts, Duration initialDelay, double backoffMultiplier, Duration maxDelay) {
    public RestartStrategy {
        if (maxAttempts < 0 || backoffMultiplier < 1.0 || initialDelay.isNegative()) {
            throw new ConfigurationException("restart strategy invalid: maxAttempts=" + maxAttempts + ", initialDelay="
                    + initialDelay + ", multiplier=" + backoffMultiplier + ", allowed=attempts>=0, multiplier>=1");
        }
    }

    public static RestartStrategy none() {
        return new RestartStrategy(0, Duration.ZERO, 1.0, Duration.ZERO);
    }

    public static RestartStrategy fixedDelay(int maxAttempts, Duration delay) {
        return new RestartStrategy(maxAttempts, delay, 1.0, delay);
    }

    public static RestartStrategy exponentialBackoff(int maxAttempts, Duration initial, Duration max) {
        return new RestartStrategy(maxAttempts, initial, 2.0, max);
    }

    /** Delay before restart number {@code attempt} (1-based). */
    public Duration delayBeforeAttempt(int attempt) {
        double millis = initialDelay.toMillis() * Math.pow(backoffMultiplier, Math.max(0, attempt - 1));
        return Duration.ofMillis((long) Math.min(millis, Math.max(maxDelay.toMillis(), initialDelay.toMillis())));
    }
}
