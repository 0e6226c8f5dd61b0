package io.tidemark.function;

/**
 * Timers of the current key. Timers are keyed state: they are checkpointed and restored with the key's key group, and a
 * timer registered twice for the same key, namespace and time fires once. Operator thread only.
 */
public interface TimerService {
    /** The current processing time, in epoch milliseconds. */
    long currentProcessingTime();

    /** The current watermark; {@link Long#MIN_VALUE} before the first one. */
    long currentWatermark();

    /** Fires {@code onTimer} for the current key once the watermark passes {@code time}. */
    void registerEventTimeTimer(long time);

    /** Fires {@code onTimer} for the current key once processing time reaches {@code time}. */
    void registerProcessingTimeTimer(long time);

    void deleteEventTimeTimer(long time);

    void deleteProcessingTimeTimer(long time);
}
