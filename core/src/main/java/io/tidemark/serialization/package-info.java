/**
 * Serializers and schema evolution: {@link io.tidemark.serialization.StateSerializer} writes to and reads from
 * Agrona buffers; {@link io.tidemark.serialization.SerializerSnapshot} describes a format and answers compatibility
 * ({@link io.tidemark.serialization.SchemaCompatibility}); built-ins for scalars, strings, bytes, enums, lists, maps and
 * records, with restore serializers that read old layouts. Formats are described in {@code docs/serialization.md}.
 *
 * <p>May import {@code io.tidemark} and Agrona; nothing else of Tidemark.
 */
package io.tidemark.serialization;
