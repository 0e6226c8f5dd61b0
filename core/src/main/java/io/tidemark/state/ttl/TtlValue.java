package io.tidemark.state.ttl;

/**
 * A value with the timestamp of its last refresh, as stored for states with TTL. Immutable.
 *
 * @param value the user value, never {@code null}
 * @param timestamp processing time or watermark at the last refresh, epoch milliseconds
 */
public record TtlValue<T>(T value, long timestamp) {}
