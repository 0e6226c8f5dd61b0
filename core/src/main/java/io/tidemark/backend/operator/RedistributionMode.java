package io.tidemark.backend.operator;

/** How operator state is handed to instances when restoring, possibly at another parallelism. */
public enum RedistributionMode {
    /** Elements of all old instances are concatenated in instance order and cut into contiguous parts. */
    SPLIT,
    /** Every new instance receives every element. */
    UNION,
    /** Every new instance receives the map of old instance 0 (the map is identical on all instances). */
    BROADCAST
}
