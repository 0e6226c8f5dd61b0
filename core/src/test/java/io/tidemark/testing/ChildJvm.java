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
    private ChildJvm() {}

    /** The command to run {@code mainClass} with {@code args} in a child JVM writing crash logs into {@code dir}. */
    public static List<String> command(Path dir, Class<?> mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!argument.startsWith("-XX:ErrorFile")
                    && !argument.startsWith("-agentlib:jdwp")
                    && !argument.startsWith("-javaagent")) {
                command.add(argument);
            }
        }
        command.add("-XX:ErrorFile=" + dir.resolve("hs_err_pid%p.log"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        return command;
    }
}
