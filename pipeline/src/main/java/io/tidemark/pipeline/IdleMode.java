package io.tidemark.pipeline;

import io.tidemark.ConfigurationException;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * What a worker thread does when none of its operators had work, and what a producer does while a full ring holds it
 * back: one of Agrona's idle strategies.
 *
 * <ul>
 *   <li>{@link #BUSY_SPIN}: spins with {@code Thread.onSpinWait()}. Lowest wake-up latency; each worker burns a core
 *       all the time. For a dedicated machine with a core per worker (and {@code --pin-threads}).
 *   <li>{@link #YIELD}: {@code Thread.yield()} in a loop. Almost as fast to wake; gives the core away only to threads
 *       ready to run, so it still shows as a busy core.
 *   <li>{@link #BACKOFF} (default): spins, then yields, then parks from 1 µs doubling up to 100 µs. Costs little CPU when
 *       idle, so it suits a shared machine; a wake-up after a long idle period can take up to the park time plus the
 *       kernel's timer slack (about 50 µs on Linux).
 * </ul>
 */
public enum IdleMode {
    BUSY_SPIN("busy-spin"),
    YIELD("yield"),
    BACKOFF("backoff");

    private static final long BACKOFF_SPINS = 100;
    private static final long BACKOFF_YIELDS = 20;
    private static final long BACKOFF_MIN_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(1);
    private static final long BACKOFF_MAX_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    private final String label;

    IdleMode(String label) {
        this.label = label;
    }

    /** The name used on the command line and in configuration: {@code busy-spin}, {@code yield}, {@code backoff}. */
    public String label() {
        return label;
    }

    /** A new strategy of this kind; one per thread (Agrona's strategies keep per-thread state). */
    public IdleStrategy newStrategy() {
        return switch (this) {
            case BUSY_SPIN -> new BusySpinIdleStrategy();
            case YIELD -> new YieldingIdleStrategy();
            case BACKOFF ->
                new BackoffIdleStrategy(BACKOFF_SPINS, BACKOFF_YIELDS, BACKOFF_MIN_PARK_NANOS, BACKOFF_MAX_PARK_NANOS);
        };
    }

    /**
     * The mode named {@code label}.
     *
     * @throws ConfigurationException naming the value and the allowed ones
     */
    public static IdleMode parse(String label) {
        for (IdleMode mode : values()) {
            if (mode.label.equals(label)) {
                return mode;
            }
        }
        throw new ConfigurationException(
                "idle strategy unknown: idle=" + label + ", allowed=busy-spin, yield, backoff");
    }

    @Override
    public String toString() {
        return label;
    }
}
