/**
 * The pipeline API: {@link io.tidemark.pipeline.Pipeline} builds a graph of sources, stateless operators,
 * {@code keyBy} (which refuses key types without a stable hash), keyed process functions, tumbling windows and sinks;
 * the user-function interfaces; {@link io.tidemark.pipeline.PipelineConfig}.
 *
 * <p>May import core ({@code io.tidemark}, {@code function}, {@code keygroup}, {@code serialization}) and
 * {@code pipeline.runtime} (the plan nodes and operators the builder creates).
 */
package io.tidemark.pipeline;
