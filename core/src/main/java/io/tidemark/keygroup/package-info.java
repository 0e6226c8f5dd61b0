/**
 * Key groups: {@link io.tidemark.keygroup.KeyGroupAssignment} (Apache Flink's formulas exactly),
 * {@link io.tidemark.keygroup.KeyGroupRange}, and {@link io.tidemark.keygroup.StableKeyHash}, which refuses key types
 * whose hash differs between JVMs (enums, arrays, identity-hashed classes).
 *
 * <p>May import {@code io.tidemark} and {@code serialization} (to see the key type a serializer reveals).
 */
package io.tidemark.keygroup;
