package io.tidemark.backend.conformance;

import io.tidemark.backend.TtlClock;

/** A processing-time clock the test moves by hand. */
public final class ManualClock implements TtlClock {
    private volatile long now;

    public ManualClock(long start) {
        this.now = start;
    }

    @Override
    public long currentTimeMillis() {
        return now;
    }

    public void advance(long millis) {
        now += millis;
    }

    public void set(long millis) {
        now = millis;
    }
}
