/**
 * Queryable state: the HTTP endpoints of the control port ({@code /state}, {@code /states}, {@code /checkpoints},
 * {@code /health}, {@code /metrics}), point queries answered on the owning operator thread in the backend's read-only
 * access ({@code QueryTarget}), reads at the latest checkpoint ({@code CheckpointView}), the bearer token check
 * ({@code AuthToken}, {@code BearerTokenFilter}) and the client side ({@code QueryCommand}, {@code ControlEndpoint}).
 *
 * <p>May import core, {@code pipeline.runtime}, {@code pipeline.metrics}, Jackson, picocli and the JDK's HTTP server.
 * Reads at a checkpoint use the checkpoint module ({@code checkpoint.job}, {@code checkpoint.storage}). Today it also
 * imports {@code pipeline.marketstats} (a JSON mix-in), and {@code pipeline.runtime} imports it back: a cycle that issue 12's
 * layout work removes.
 */
package io.tidemark.pipeline.query;
