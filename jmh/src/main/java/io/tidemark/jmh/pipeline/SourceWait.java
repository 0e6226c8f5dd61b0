package io.tidemark.jmh.pipeline;

import io.tidemark.ConfigurationException;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * How the paced source waits for a record that is not due yet. It waits once per call and lets the source task loop
 * (which runs control messages such as barrier triggers between its calls to the source) before looking again.
 */
enum SourceWait {
    /** {@link Thread#onSpinWait()}: the shortest reaction, one core busy. */
    SPIN,
    /** {@link Thread#yield()}: busy as well, but gives the core to a runnable operator thread (default). */
    YIELD,
    /**
     * {@link LockSupport#parkNanos} for the time left: frees the core, but wakes late by the kernel's timer slack
     * (about 50 µs), and that lateness is counted as latency (the records are stamped with their intended time).
     */
    PARK;

    /** Waits a little; {@code nanosLeft} until the next record is due (positive). */
    void idle(long nanosLeft) {
        switch (this) {
            case SPIN -> Thread.onSpinWait();
            case YIELD -> Thread.yield();
            case PARK -> LockSupport.parkNanos(nanosLeft);
        }
    }

    static SourceWait parse(String value) {
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("unknown source wait: wait=" + value + ", allowed=[spin, yield, park]");
        }
    }
}
