package io.tidemark.jmh.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;

/**
 * Collects the {@link CheckpointSample}s of the measured checkpoints of one trial and reports them: percentiles of
 * the synchronous pause, the asynchronous and completion durations, and the bytes written. JMH's own score for a
 * checkpoint is the whole checkpoint; these are its parts.
 *
 * <p>The report is printed (it lands in JMH's log) and appended as one tab-separated line to the file named by the
 * system property {@value #RESULTS_PROPERTY} (forks inherit it). The default is {@value #DEFAULT_RESULTS} in the
 * build output directory the benchmark classes were loaded from ({@code jmh/target/} for {@code
 * jmh/target/benchmarks.jar} and for {@code jmh/target/classes}), whatever the working directory: benchmark output
 * never lands in the source tree.
 */
final class CheckpointRecorder {
    static final String RESULTS_PROPERTY = "tidemark.jmh.checkpointResults";
    static final String DEFAULT_RESULTS = "checkpoint-results.tsv";
    static final String HEADER = "benchmark\tbackend\tkeyCount\tvalueSize\tsnapshot\tsamples\tsyncP50us\tsyncP99us"
            + "\tsyncMaxUs\tasyncP50ms\tasyncMaxMs\tcompleteP50ms\tbytesP50\tchangedValueBytes\tbytesPerChangedByte"
            + "\tstateMBperSecAsync";

    private final int capacity;
    private final long[] sync;
    private final long[] async;
    private final long[] complete;
    private final long[] bytes;
    private int count;

    CheckpointRecorder(int capacity) {
        this.capacity = capacity;
        this.sync = new long[capacity];
        this.async = new long[capacity];
        this.complete = new long[capacity];
        this.bytes = new long[capacity];
    }

    void add(CheckpointSample sample) {
        if (count == capacity) {
            throw new IllegalStateException("more checkpoints than the recorder holds: capacity=" + capacity);
        }
        sync[count] = sample.syncNanos();
        async[count] = sample.asyncNanos();
        complete[count] = sample.completeNanos();
        bytes[count] = sample.bytesWritten();
        count++;
    }

    /**
     * @param stateBytes keys times (8 + value size): the logical state a full snapshot writes
     * @param changedValueBytes value bytes changed since the previous checkpoint
     */
    String report(
            String benchmark,
            String backend,
            int keyCount,
            int valueSize,
            String snapshot,
            long stateBytes,
            long changedValueBytes) {
        long[] s = sorted(sync);
        long[] a = sorted(async);
        long[] c = sorted(complete);
        long[] b = sorted(bytes);
        long bytesP50 = percentile(b, 50);
        double asyncSeconds = percentile(a, 50) / 1e9;
        return String.format(
                Locale.ROOT,
                "%s\t%s\t%d\t%d\t%s\t%d\t%.1f\t%.1f\t%.1f\t%.2f\t%.2f\t%.2f\t%d\t%d\t%.3f\t%.0f",
                benchmark,
                backend,
                keyCount,
                valueSize,
                snapshot,
                count,
                percentile(s, 50) / 1e3,
                percentile(s, 99) / 1e3,
                s[s.length - 1] / 1e3,
                asyncSeconds * 1e3,
                a[a.length - 1] / 1e6,
                percentile(c, 50) / 1e6,
                bytesP50,
                changedValueBytes,
                changedValueBytes == 0 ? 0.0 : (double) bytesP50 / changedValueBytes,
                stateBytes / 1e6 / asyncSeconds);
    }

    static void publish(String line) {
        System.out.println("CHECKPOINT-RESULT " + HEADER);
        System.out.println("CHECKPOINT-RESULT " + line);
        String named = System.getProperty(RESULTS_PROPERTY);
        Path file = named != null ? Path.of(named) : buildOutputDirectory().resolve(DEFAULT_RESULTS);
        try {
            if (!Files.exists(file)) {
                Files.writeString(file, HEADER + "\n", StandardCharsets.UTF_8);
            }
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append checkpoint results: file=" + file.toAbsolutePath(), e);
        }
    }

    /** The directory holding the jar (or the classes directory) this class was loaded from: {@code jmh/target}. */
    static Path buildOutputDirectory() {
        try {
            Path loadedFrom = Path.of(CheckpointRecorder.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            return loadedFrom.toAbsolutePath().getParent();
        } catch (URISyntaxException | RuntimeException e) {
            throw new IllegalStateException(
                    "cannot locate the build output directory for " + DEFAULT_RESULTS + "; name a file with -D"
                            + RESULTS_PROPERTY + "=FILE",
                    e);
        }
    }

    private long[] sorted(long[] values) {
        if (count == 0) {
            throw new IllegalStateException("no measured checkpoint to report");
        }
        long[] copy = Arrays.copyOf(values, count);
        Arrays.sort(copy);
        return copy;
    }

    /** Nearest-rank percentile: with 30 samples p99 is the maximum. */
    private static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
