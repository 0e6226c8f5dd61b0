/**
 * The {@code chronicle} backend: one persisted Chronicle Map per state, keys laid out as key group + key +
 * namespace, full snapshots from a copy taken at the synchronous part. Its map files are a cache, deleted on open
 * (never trusted after an unclean stop).
 *
 * <p>May import {@code io.tidemark}, {@code backend}, {@code backend.internal}, {@code backend.operator},
 * {@code keygroup}, {@code serialization}, Agrona and Chronicle Map; never {@code memory}, checkpoint files or
 * threads.
 */
package io.tidemark.state.chronicle;
