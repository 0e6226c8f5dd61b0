package io.tidemark.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * S3 of the reliability matrix: a state directory on a 3 MiB tmpfs, mounted in a private mount namespace
 * ({@code unshare -m}, needs root) so that nothing leaks to the host. Skipped, with the reason, where that is not
 * permitted.
 */
class TmpfsDiskFullTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void fullTmpfsYieldsTypedErrorNotSigbus() throws Exception {
        final Path mountPoint = Files.createDirectory(dir.resolve("tmpfs"));
        final String java =
                Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        final List<String> command = new ArrayList<>(List.of(
                "unshare",
                "-m",
                "sh",
                "-c",
                "mount -t tmpfs -o size=3m tidemark-test \"$0\" || exit 97; exec \"$@\"",
                mountPoint.toString(),
                java,
                "-Xmx64m",
                "-XX:ErrorFile=" + dir.resolve("hs_err_%p.log")));
        for (String flag : System.getProperty("tidemark.jvm.flags", "").split(" ")) {
            if (!flag.isBlank()) {
                command.add(flag);
            }
        }
        command.addAll(List.of(
                "-cp", System.getProperty("java.class.path"), DiskFullChild.class.getName(), mountPoint.toString()));

        final Process child;
        try {
            child = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (java.io.IOException ex) {
            Assumptions.abort("cannot run unshare: " + ex.getMessage());
            return;
        }
        final String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(50, TimeUnit.SECONDS)).as(output).isTrue();
        final int exit = child.exitValue();
        Assumptions.assumeFalse(
                exit == 97 || output.contains("unshare failed") || output.contains("Operation not permitted"),
                () -> "private tmpfs mount not permitted here (needs root and unshare -m): exit=" + exit + ", output="
                        + output.strip());
        System.out.println("disk-full child: " + output.strip().replace("\n", " | "));
        assertThat(exit).as(output).isZero();
        assertThat(output)
                .contains("SPACE no space to write a page back")
                .contains("No space left on device")
                .containsPattern("OK pages=\\d+ segments=[34]");
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("hs_err")))
                    .as("JVM crash log")
                    .isEmpty();
        }
    }
}
