/**
 * The pipeline API: {@link io.tidemark.pipeline.Pipeline} builds a graph of sources, stateless operators,
 * {@code keyBy} (which refuses key types without a stable hash), keyed process functions, tumbling windows, sinks,
 * and operators with two inputs: {@link io.tidemark.pipeline.ConnectedStreams} and {@link
 * io.tidemark.pipeline.KeyedConnectedStreams} ({@code connect}), {@link io.tidemark.pipeline.BroadcastStream} with
 * {@link io.tidemark.pipeline.BroadcastConnectedStreams} and {@link io.tidemark.pipeline.KeyedBroadcastConnectedStreams};
 * its configuration ({@link io.tidemark.pipeline.PipelineContext}, {@link io.tidemark.pipeline.CheckpointSettings}) and
 * {@link io.tidemark.pipeline.PipelineProgram}, a job the launcher runs by class name.
 *
 * <p>The module's packages, bottom to top (each imports only lower layers; {@code PackageLayersTest} checks it):
 * {@code function} and {@code metrics}; {@code queryable}; {@code operator} and {@code connectors}; this API;
 * {@code runtime}; {@code query} and {@code shm}; {@code cli}; the {@code marketstats} example, a leaf that
 * registers itself through {@code ServiceLoader}.
 *
 * <p>May import core, the checkpoint module's configuration, {@code pipeline.function} and
 * {@code pipeline.operator} (the plan nodes and operators the builder creates).
 */
package io.tidemark.pipeline;
