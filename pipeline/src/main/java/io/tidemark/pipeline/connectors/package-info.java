/**
 * Sources and sinks: line readers and parsers with an error policy for malformed records, and two-phase-commit
 * file sinks.
 *
 * <p>May import core ({@code io.tidemark}, {@code backend}, {@code function}, {@code serialization}, {@code state})
 * and {@code pipeline.function} (the function interfaces).
 */
package io.tidemark.pipeline.connectors;
