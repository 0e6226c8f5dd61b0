package io.tidemark.jmh;

import io.tidemark.ConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the benchmark commands ({@code SnapshotPause}, {@code RestoreRun}, {@code SpillRun}, {@code PipelineLatency})
 * share: {@code name=value} arguments checked against the names a command knows, and a results file of tab-separated
 * lines under one header. Stateless; any thread.
 */
public final class CommandLine {
    private CommandLine() {}

    /**
     * The {@code name=value} arguments by name.
     *
     * @throws ConfigurationException for an argument without {@code =} or a name not in {@code names}
     */
    public static Map<String, String> options(String[] args, Set<String> names) {
        final Map<String, String> given = new HashMap<>();
        for (String arg : args) {
            final int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new ConfigurationException("expected name=value: argument=" + arg);
            }
            final String name = arg.substring(0, eq);
            if (!names.contains(name)) {
                throw new ConfigurationException("unknown option: option=" + name + ", allowed=" + names);
            }
            given.put(name, arg.substring(eq + 1));
        }
        return given;
    }

    /** Appends {@code line} to {@code file}, writing {@code header} first if the file does not exist yet. */
    public static void appendResult(Path file, String header, String line) throws IOException {
        if (!Files.exists(file)) {
            Files.writeString(file, header + "\n", StandardCharsets.UTF_8);
        }
        Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }
}
