/**
 * The state-backend SPI: {@link io.tidemark.backend.StateBackend} creates keyed and operator backends, and
 * {@link io.tidemark.backend.StateBackendFactory} finds one by name through {@code ServiceLoader};
 * {@link io.tidemark.backend.KeyedStateBackend} holds the keyed state of one operator instance's key groups
 * (current key, state registration, snapshots, restore, read-only access for queries);
 * {@link io.tidemark.backend.OperatorStateBackend} holds operator state; {@link
 * io.tidemark.backend.KeyedBackendParameters} is what a keyed backend is created with.
 *
 * <p>May import {@code io.tidemark}, {@code keygroup}, {@code serialization}, {@code state}, {@code backend.snapshot}
 * and Agrona buffers; never a backend implementation ({@code heap}, {@code internal}, {@code state.offheap}), threads,
 * files or the checkpoint module.
 */
package io.tidemark.backend;
