/**
 * Operator (non-keyed) state: list state redistributed on rescale by split or union, broadcast map state, its
 * snapshot format and redistribution, behind {@link io.tidemark.backend.operator.DefaultOperatorStateBackend}, which
 * every backend uses.
 *
 * <p>May import {@code io.tidemark}, {@code backend}, {@code backend.snapshot}, {@code keygroup}, {@code
 * serialization}, {@code state} and Agrona.
 */
package io.tidemark.backend.operator;
