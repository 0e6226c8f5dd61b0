/**
 * The built-in {@code market-stats} example job: trades (CSV or generated) keyed by symbol into one-minute windows
 * and running totals, its source, and an independent oracle that computes the expected output. An example: generic
 * code should not import it.
 *
 * <p>May import core, {@code io.tidemark.pipeline} and {@code pipeline.connectors}.
 */
package io.tidemark.pipeline.marketstats;
