/**
 * The web status page of the control port: {@code GET /} (one HTML page, its script and style sheet, served from the
 * jar) and {@code GET /status.json}, built from samples that {@code StatusSampler} takes once a second on a thread of
 * its own (operator rates, ring backlogs, latency percentiles per interval, restarts) together with the plan, the
 * checkpoint history and the configuration.
 *
 * <p>May import core, {@code pipeline.operator} (the plan), {@code pipeline.runtime} (read-only accessors),
 * {@code pipeline.metrics}, {@code pipeline.query} (the token check), {@code pipeline.queryable} (its JSON mapper),
 * Jackson, HdrHistogram and the JDK's HTTP server. Nothing here runs on an operator thread.
 */
package io.tidemark.pipeline.status;
