package io.tidemark.backend.internal;

import io.tidemark.backend.TtlClock;
import io.tidemark.state.StateTtlConfig;

/**
 * The two clocks TTL is measured against: processing time from a {@link TtlClock} and event time from the backend's
 * current watermark. One per keyed backend; operator thread only (the watermark is a plain field).
 *
 * <p>An entry refreshed at {@code t} is expired at {@code now} when {@code now - t >= ttl}. Event-time entries written
 * before the first watermark carry {@link Long#MIN_VALUE} and expire with the first watermark at least {@code ttl} past
 * it, i.e. immediately once watermarks flow.
 */
public final class TtlTime {
    private final TtlClock clock;
    private long watermark = Long.MIN_VALUE;

    public TtlTime(TtlClock clock) {
        this.clock = clock;
    }

    public void setWatermark(long watermark) {
        this.watermark = watermark;
    }

    public long watermark() {
        return watermark;
    }

    public long now(StateTtlConfig config) {
        return config.timeDomain() == StateTtlConfig.TimeDomain.EVENT_TIME ? watermark : clock.currentTimeMillis();
    }

    public boolean isExpired(long timestamp, StateTtlConfig config) {
        return isExpired(timestamp, now(config), config.ttlMillis());
    }

    public static boolean isExpired(long timestamp, long now, long ttlMillis) {
        long age = now - timestamp;
        boolean overflow = ((now ^ timestamp) & (now ^ age)) < 0;
        return overflow ? now > timestamp : age >= ttlMillis;
    }
}
