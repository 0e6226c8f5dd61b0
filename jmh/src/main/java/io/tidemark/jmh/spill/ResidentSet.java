package io.tidemark.jmh.spill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's resident set size, {@code VmRSS} of {@code /proc/self/status} (Linux only). Cold path. */
final class ResidentSet {
    private static final Path STATUS = Path.of("/proc/self/status");

    private ResidentSet() {}

    /** @throws IOException if {@code /proc/self/status} cannot be read or has no {@code VmRSS} line */
    static long kilobytes() throws IOException {
        for (String line : Files.readAllLines(STATUS)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(
                        line.substring("VmRSS:".length()).replace("kB", "").trim());
            }
        }
        throw new IOException("no VmRSS line: file=" + STATUS);
    }
}
