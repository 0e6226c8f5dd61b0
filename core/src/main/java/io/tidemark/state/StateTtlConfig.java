package io.tidemark.state;

import io.tidemark.ConfigurationException;
import java.time.Duration;

/**
 * Time-to-live of keyed state entries. An entry expires {@link #ttl()} after its last update (or last access, with
 * {@link UpdateType#ON_READ_AND_WRITE}), measured in processing time (the backend's clock) or in event time (the
 * current watermark). Expired entries are never returned; they are removed when touched and dropped from full and
 * canonical snapshots when {@link #cleanupInSnapshots()} is set. List elements and map entries expire individually.
 *
 * @param ttl how long an entry lives, at least 1 ms
 * @param timeDomain the clock expiry is measured against
 * @param updateType what refreshes an entry's timestamp
 * @param cleanupInSnapshots drop expired entries when a full or canonical snapshot is written
 */
public record StateTtlConfig(Duration ttl, TimeDomain timeDomain, UpdateType updateType, boolean cleanupInSnapshots) {
    /** The clock that expiry is measured against. */
    public enum TimeDomain {
        PROCESSING_TIME,
        EVENT_TIME
    }

    /** What refreshes an entry's timestamp. */
    public enum UpdateType {
        ON_CREATE_AND_WRITE,
        ON_READ_AND_WRITE
    }

    public StateTtlConfig {
        if (ttl == null || ttl.toMillis() < 1) {
            throw new ConfigurationException("state TTL too small: ttl=" + ttl + ", minimum=1ms");
        }
        if (timeDomain == null || updateType == null) {
            throw new ConfigurationException("state TTL needs a time domain and an update type: timeDomain="
                    + timeDomain + ", updateType=" + updateType);
        }
    }

    public long ttlMillis() {
        return ttl.toMillis();
    }

    /** Processing-time TTL, refreshed on create and write, cleaned up in snapshots. */
    public static StateTtlConfig processingTime(Duration ttl) {
        return new StateTtlConfig(ttl, TimeDomain.PROCESSING_TIME, UpdateType.ON_CREATE_AND_WRITE, true);
    }

    /** Event-time TTL (measured against the current watermark), refreshed on create and write. */
    public static StateTtlConfig eventTime(Duration ttl) {
        return new StateTtlConfig(ttl, TimeDomain.EVENT_TIME, UpdateType.ON_CREATE_AND_WRITE, true);
    }

    public StateTtlConfig withUpdateType(UpdateType type) {
        return new StateTtlConfig(ttl, timeDomain, type, cleanupInSnapshots);
    }

    public StateTtlConfig withCleanupInSnapshots(boolean cleanup) {
        return new StateTtlConfig(ttl, timeDomain, updateType, cleanup);
    }
}
