/**
 * The built-in {@code market-stats} example job: trades (CSV or generated) keyed by symbol into one-minute windows
 * and running totals, its source, an independent oracle that computes the expected output, and the {@code demo}
 * command. A leaf: nothing else imports it; it registers itself in {@code META-INF/services} as the launcher's
 * {@code NamedJob} {@code market-stats}, as a {@code LauncherCommand} ({@code demo}) and as a
 * {@code QueryJsonExtension} (its totals' JSON names).
 *
 * <p>May import core, {@code io.tidemark.pipeline}, {@code pipeline.function}, {@code pipeline.connectors},
 * {@code pipeline.queryable}, {@code pipeline.runtime} and {@code pipeline.cli}.
 */
package io.tidemark.pipeline.marketstats;
