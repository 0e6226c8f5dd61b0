/**
 * The {@code tidemark} launcher (picocli): {@code run}, {@code savepoint}, {@code stop}, {@code inspect},
 * {@code query}, and the control port ({@code ControlServer}: loopback unless {@code --bind}, bearer token with
 * {@code --auth-token-file}). Jobs plug in through {@code ServiceLoader}: a {@code NamedJob} runs by name
 * ({@code run market-stats}), a {@code LauncherCommand} adds a subcommand ({@code demo}); other jobs run by class name
 * as a {@code PipelineProgram}, or from the user's jar ({@code run --jar}: {@code JobJar}, {@code JobClassLoader}).
 *
 * <p>May import every other pipeline package except {@code marketstats}, core, the checkpoint module, picocli,
 * HdrHistogram and the JDK's HTTP server. Only the example imports it.
 */
package io.tidemark.pipeline.cli;
