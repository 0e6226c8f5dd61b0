/**
 * The stored form of TTL state: a value with the timestamp of its last refresh ({@link
 * io.tidemark.state.ttl.TtlValue}) and its serializer.
 *
 * <p>May import {@code io.tidemark}, {@code serialization} and Agrona.
 */
package io.tidemark.state.ttl;
