package io.tidemark.pipeline;

import java.nio.file.Path;

/**
 * A job the launcher can run by class name ({@code tidemark run com.example.MyJob ...}): a public class with a public
 * no-argument constructor.
 */
public interface PipelineProgram {
    /** Builds the pipeline for {@code config} reading {@code input} and writing under {@code output}. */
    Pipeline build(PipelineContext config, String input, Path output, int parallelism);
}
