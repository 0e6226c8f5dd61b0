package io.tidemark.backend.internal;

import io.tidemark.backend.TtlClock;
import io.tidemark.state.StateTtlConfig;

/**
 * The two clocks TTL is measured against: processing time from a {@link TtlClock} and event time from the backend's
 * current watermark. One per keyed backend; operator thread only (the watermark is a plain field).
 *
 * <p>An entry refreshed at {@code t} is expired at {@code now} when {@code now - t >= ttl}. Event-time entries written
 * before the first watermark carry {@link Long#MIN_VALUE} ("no time yet"): they age from the first watermark this
 * backend sees, and are kept by snapshots (a restored backend ages them from its own first watermark). Losing state
 * because no watermark had arrived yet would be the worse surprise.
 *
 * <p>While {@link #isReadOnly() read-only} (a query is being answered), TTL state reads neither refresh timestamps
 * ({@code ON_READ_AND_WRITE}) nor remove expired entries: expired values read as absent and stay stored.
 */
public final class TtlTime {
    private final TtlClock clock;
    private long watermark = Long.MIN_VALUE;
    private long firstWatermark = Long.MIN_VALUE;
    private boolean readOnly;

    public TtlTime(TtlClock clock) {
        this.clock = clock;
    }

    public void setWatermark(long watermark) {
        this.watermark = watermark;
        if (firstWatermark == Long.MIN_VALUE) {
            firstWatermark = watermark;
        }
    }

    /** True while reads must leave state unchanged (see the class comment). */
    public boolean isReadOnly() {
        return readOnly;
    }

    /** Enters or leaves read-only access; returns the previous setting, for nesting. */
    public boolean setReadOnly(boolean readOnly) {
        boolean previous = this.readOnly;
        this.readOnly = readOnly;
        return previous;
    }

    public long watermark() {
        return watermark;
    }

    public long now(StateTtlConfig config) {
        return config.timeDomain() == StateTtlConfig.TimeDomain.EVENT_TIME ? watermark : clock.currentTimeMillis();
    }

    /** Whether an entry stamped {@code timestamp} is expired at {@code now} (a value of {@link #now}). */
    public boolean isExpired(long timestamp, long now, StateTtlConfig config) {
        if (timestamp == Long.MIN_VALUE && config.timeDomain() == StateTtlConfig.TimeDomain.EVENT_TIME) {
            if (firstWatermark == Long.MIN_VALUE) {
                return false;
            }
            return isExpired(firstWatermark, now, config.ttlMillis());
        }
        return isExpired(timestamp, now, config.ttlMillis());
    }

    public static boolean isExpired(long timestamp, long now, long ttlMillis) {
        long age = now - timestamp;
        boolean overflow = ((now ^ timestamp) & (now ^ age)) < 0;
        return overflow ? now > timestamp : age >= ttlMillis;
    }
}
