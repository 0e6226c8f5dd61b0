package io.tidemark.pipeline.cli;

import java.util.concurrent.Callable;

/**
 * A subcommand a job contributes to the launcher (market-stats: {@code tidemark demo}), so that the launcher never
 * imports a job: a picocli {@code @Command} class with a public no-argument constructor, registered in
 * {@code META-INF/services/io.tidemark.pipeline.cli.LauncherCommand}. It returns a {@link Launcher} exit code.
 */
public interface LauncherCommand extends Callable<Integer> {}
