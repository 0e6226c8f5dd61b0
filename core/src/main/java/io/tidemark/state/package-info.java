/**
 * The state API applications use: value, list, map, reducing, aggregating, primitive {@code long} and
 * {@code double} state, their descriptors (with TTL through {@link io.tidemark.state.StateTtlConfig} and the queryable
 * name), and the functions reducing and aggregating state take.
 *
 * <p>May import {@code io.tidemark} and {@code serialization}.
 */
package io.tidemark.state;
