package io.tidemark.pipeline.runtime;

import java.util.concurrent.locks.LockSupport;

/**
 * Spin, then yield, then park with a growing pause: cheap wake-ups under load, little CPU when idle on small machines.
 * One instance per thread; allocation-free.
 */
final class Idler {
    private static final int SPINS = 50;
    private static final int YIELDS = 20;
    private static final long MIN_PARK_NANOS = 1_000;
    private static final long MAX_PARK_NANOS = 200_000;

    private int count;
    private long parkNanos = MIN_PARK_NANOS;

    void idle() {
        if (count < SPINS) {
            count++;
            Thread.onSpinWait();
        } else if (count < SPINS + YIELDS) {
            count++;
            Thread.yield();
        } else {
            LockSupport.parkNanos(parkNanos);
            parkNanos = Math.min(parkNanos << 1, MAX_PARK_NANOS);
        }
    }

    void reset() {
        count = 0;
        parkNanos = MIN_PARK_NANOS;
    }
}
