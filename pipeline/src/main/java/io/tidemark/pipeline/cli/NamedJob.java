package io.tidemark.pipeline.cli;

import io.tidemark.pipeline.Pipeline;
import io.tidemark.pipeline.PipelineContext;
import io.tidemark.pipeline.connectors.ErrorPolicy;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A job the launcher runs by name ({@code tidemark run market-stats ...}), so that the launcher never imports a job.
 * Registered in {@code META-INF/services/io.tidemark.pipeline.cli.NamedJob} with a public no-argument constructor;
 * found with {@link java.util.ServiceLoader} on the launcher's thread. Jobs that are not registered run by class name
 * as a {@link io.tidemark.pipeline.PipelineProgram}.
 */
public interface NamedJob {
    /** The name given to {@code tidemark run}. */
    String name();

    /**
     * Builds the pipeline.
     *
     * @throws IllegalArgumentException naming the option if an argument is invalid (reported as a usage error)
     * @throws io.tidemark.ConfigurationException if the job cannot be set up (e.g. its input file is missing)
     */
    Pipeline build(PipelineContext config, Arguments arguments);

    /**
     * The {@code run} options a named job reads.
     *
     * @param input {@code --input}, as given
     * @param output {@code --output}
     * @param allowedLateness {@code --allowed-lateness}
     * @param onMalformed {@code --on-malformed}
     * @param failAfter {@code --fail-after}: throw once in the N-th call of the job's function; 0: never
     */
    record Arguments(String input, Path output, Duration allowedLateness, ErrorPolicy onMalformed, long failAfter) {}
}
