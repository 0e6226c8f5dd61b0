package io.tidemark.checkpoint.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.testing.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * S1 against a real full disk: checkpoints on a 3 MiB tmpfs mounted in a private mount namespace ({@code unshare -m},
 * needs root, so nothing leaks to the host). ENOSPC must surface as {@link io.tidemark.StorageSpaceException}, abort
 * only that checkpoint, and leave the previous one restorable. Skipped, with the reason, where that is not permitted.
 */
class TmpfsDiskFullTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void fullDiskAbortsOnlyThatCheckpoint() throws Exception {
        Path mountPoint = Files.createDirectory(dir.resolve("tmpfs"));
        List<String> command = new ArrayList<>(List.of(
                "unshare",
                "-m",
                "sh",
                "-c",
                "mount -t tmpfs -o size=3m tidemark-chk-test \"$0\" || exit 97; exec \"$@\"",
                mountPoint.toString()));
        List<String> java = new ArrayList<>(ChildJvm.command(dir, TmpfsDiskFullChild.class, mountPoint.toString()));
        java.addAll(1, List.of("-XX:TieredStopAtLevel=1", "-XX:-UsePerfData"));
        command.addAll(java);
        Process child;
        try {
            child = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("cannot run unshare: " + e.getMessage());
            return;
        }
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(50, TimeUnit.SECONDS)).as(output).isTrue();
        int exit = child.exitValue();
        Assumptions.assumeFalse(
                exit == 97 || output.contains("unshare failed") || output.contains("Operation not permitted"),
                () -> "private tmpfs mount not permitted here (needs root and unshare -m): exit=" + exit + ", output="
                        + output.strip());
        assertThat(exit).as(output).isZero();
        assertThat(output)
                .contains("SPACE out of storage space")
                .contains("No space left on device")
                .contains("CHK2_GONE true")
                .contains("RESTORED 1")
                .contains("TMP_FILES 0")
                .contains("OK latest=3");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("hs_err")))
                    .as("JVM crash log")
                    .isEmpty();
        }
    }
}
