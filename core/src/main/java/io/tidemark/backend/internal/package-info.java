/**
 * What every keyed backend shares, as {@link io.tidemark.backend.internal.AbstractKeyedStateBackend}: current key
 * and key group (with the stable-hash check on each new key class), state registration, TTL wrappers (which neither
 * refresh nor clean up in read-only access), reducing and aggregating state composed over value state, restore with
 * serializer compatibility checks and migration (keys included, {@code KeyMigration}), restored states carried until
 * registered, and the canonical snapshot task. Not an API for applications; backends extend it.
 *
 * <p>May import {@code io.tidemark}, {@code backend}, {@code backend.canonical}, {@code backend.snapshot},
 * {@code keygroup}, {@code serialization}, {@code state}, {@code state.ttl} and Agrona; never a concrete backend.
 */
package io.tidemark.backend.internal;
