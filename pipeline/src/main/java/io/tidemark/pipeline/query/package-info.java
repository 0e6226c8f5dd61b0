/**
 * Queryable state over HTTP: the endpoints of the control port ({@code /state}, {@code /states},
 * {@code /checkpoints}, {@code /health}, {@code /metrics}), point queries routed to the owning operator instance's
 * {@code QueryTarget} ({@code QueryService}), reads at the latest checkpoint ({@code CheckpointView}), the bearer
 * token check ({@code AuthToken}, {@code BearerTokenFilter}) and the client side ({@code QueryCommand},
 * {@code ControlEndpoint}).
 *
 * <p>May import core, {@code pipeline.runtime}, {@code pipeline.queryable}, {@code pipeline.metrics}, Jackson, picocli
 * and the JDK's HTTP server. Reads at a checkpoint use the checkpoint module ({@code checkpoint.job},
 * {@code checkpoint.storage}).
 */
package io.tidemark.pipeline.query;
