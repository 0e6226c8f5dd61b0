package io.tidemark.testing;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the command line of a child JVM for crash and multi-process tests: the same java binary, classpath and JVM
 * flags as this JVM (so Chronicle's and Agrona's {@code --add-opens}/{@code --add-exports} and
 * {@code -Dchronicle.analytics.disable=true} carry over), plus an {@code -XX:ErrorFile} in the test's directory so a
 * JVM crash leaves a file the test can fail on.
 */
public final class ChildJvm {
    /** Options for a small, fast-starting child: 256 MiB heap, C1 only, no heap dumps. */
    public static final List<String> SMALL = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1");

    private ChildJvm() {}

    /** The command to run {@code mainClass} with {@code args} in a child JVM writing crash logs into {@code dir}. */
    public static List<String> command(Path dir, Class<?> mainClass, String... args) {
        return command(dir, List.of(), mainClass.getName(), List.of(args));
    }

    /**
     * As {@link #command(Path, Class, String...)}, with {@code jvmOptions} added after the inherited flags; a heap size
     * in {@code jvmOptions} replaces the inherited one, and inherited heap-dump flags are dropped with it.
     */
    public static List<String> command(Path dir, List<String> jvmOptions, String mainClass, List<String> args) {
        boolean ownHeap = jvmOptions.stream().anyMatch(option -> option.startsWith("-Xmx"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            boolean replaced =
                    ownHeap && (argument.startsWith("-Xmx") || argument.startsWith("-XX:+HeapDumpOnOutOfMemoryError"));
            if (!replaced
                    && !argument.startsWith("-XX:ErrorFile")
                    && !argument.startsWith("-agentlib")
                    && !argument.startsWith("-javaagent")) {
                command.add(argument);
            }
        }
        command.addAll(jvmOptions);
        command.add("-XX:ErrorFile=" + dir.resolve("hs_err_pid%p.log"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        return command;
    }
}
