package io.tidemark.jmh;

import io.tidemark.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.Main;

/**
 * Entry point of {@code benchmarks.jar}: JMH's own command line, with the JVM flags Chronicle needs appended to every
 * forked JVM.
 *
 * <p>The flags come from the parent POM's {@code tidemark.jvm.flags} (filtered into {@code jvm.flags}), so the build,
 * the tests and the benchmarks share one list. A {@code -jvmArgsAppend} given on the command line is kept and placed
 * after them. Runs with {@code -f 0} do not fork: start that JVM with the flags yourself.
 */
public final class BenchmarkLauncher {
    private static final String FLAGS_RESOURCE = "jvm.flags";
    private static final String APPEND_OPTION = "-jvmArgsAppend";

    private BenchmarkLauncher() {}

    public static void main(String[] args) throws Exception {
        Main.main(withForkFlags(args, forkFlags()));
    }

    static String[] withForkFlags(String[] args, String flags) {
        List<String> result = new ArrayList<>(args.length + 2);
        boolean appended = false;
        for (int i = 0; i < args.length; i++) {
            if (APPEND_OPTION.equals(args[i]) && i + 1 < args.length) {
                result.add(APPEND_OPTION);
                result.add(flags + ' ' + args[++i]);
                appended = true;
            } else {
                result.add(args[i]);
            }
        }
        if (!appended) {
            result.add(APPEND_OPTION);
            result.add(flags);
        }
        return result.toArray(new String[0]);
    }

    static String forkFlags() throws IOException {
        try (InputStream in = BenchmarkLauncher.class.getResourceAsStream(FLAGS_RESOURCE)) {
            if (in == null) {
                throw new ConfigurationException("missing resource: resource=" + FLAGS_RESOURCE);
            }
            String flags = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            if (flags.isEmpty() || flags.startsWith("${")) {
                throw new ConfigurationException("unfiltered JVM flags, build the jar with Maven: resource="
                        + FLAGS_RESOURCE + ", value=" + flags);
            }
            return flags;
        }
    }
}
