/**
 * Tidemark's error types: one unchecked root, {@link io.tidemark.TidemarkException}, with a subtype per kind of
 * failure (configuration, corrupt checkpoint, incompatible state, serialization, state access, state size, storage I/O,
 * storage space). Every message reads "what: field=value" and names the file, state or setting concerned.
 *
 * <p>Sub-packages hold the public API ({@code state}, {@code function}, {@code serialization}, {@code keygroup}) and
 * the state-backend SPI ({@code backend}). This package imports nothing of Tidemark; every other package may import
 * it.
 */
package io.tidemark;
