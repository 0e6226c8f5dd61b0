package io.tidemark.pipeline;

import java.nio.file.Path;
import java.util.List;

/**
 * A job the launcher runs by class name ({@code tidemark run com.example.MyJob ...}) or from the user's own jar
 * ({@code tidemark run --jar app.jar ...}): a public class with a public no-argument constructor. Called once, on the
 * launcher's thread, before the pipeline runs; from a jar, with the jar's class loader as the thread's context class
 * loader.
 */
public interface PipelineProgram {
    /** Builds the pipeline for {@code config} reading {@code input} and writing under {@code output}. */
    Pipeline build(PipelineContext config, String input, Path output, int parallelism);

    /**
     * Builds the pipeline with the job's own arguments: the words of the {@code run} command line the launcher does
     * not know, in their order (e.g. {@code --window 10s}), and every word after {@code --}. The launcher always calls
     * this method; by default it accepts no arguments and calls {@link #build(PipelineContext, String, Path, int)}. A
     * program that takes arguments overrides it (and implements the four-argument method by calling it with an empty
     * list).
     *
     * @param arguments the job arguments, never null, possibly empty
     * @throws IllegalArgumentException naming the argument if one is unknown or invalid (the launcher reports it as a
     *     usage error, exit code 2)
     */
    default Pipeline build(PipelineContext config, String input, Path output, int parallelism, List<String> arguments) {
        if (!arguments.isEmpty()) {
            throw new IllegalArgumentException("unknown job arguments: program="
                    + getClass().getName() + ", arguments=" + arguments + " (the program takes none)");
        }
        return build(config, input, output, parallelism);
    }
}
