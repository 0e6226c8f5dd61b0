/**
 * User functions and their context: {@link io.tidemark.function.KeyedProcessFunction} with its {@link
 * io.tidemark.function.RuntimeContext} and {@link io.tidemark.function.TimerService}, {@link
 * io.tidemark.function.CheckpointedFunction} and {@link io.tidemark.function.CheckpointListener} (two-phase commit).
 *
 * <p>May import {@code backend} (the operator state store) and {@code state}.
 */
package io.tidemark.function;
