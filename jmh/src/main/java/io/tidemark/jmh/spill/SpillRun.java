package io.tidemark.jmh.spill;

import io.tidemark.ConfigurationException;
import io.tidemark.jmh.CommandLine;
import io.tidemark.jmh.backend.BytesValueState;
import io.tidemark.jmh.backend.tidemark.TidemarkBackend;
import io.tidemark.jmh.keys.KeySequence;
import io.tidemark.jmh.keys.KeySpace;
import io.tidemark.state.offheap.OffHeapBackendContext;
import io.tidemark.state.offheap.OffHeapStateBackend;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Spill as a benchmark command (a main class in {@code benchmarks.jar}), one point per JVM: load {@code keyCount}
 * values of {@code valueSize} bytes into the {@code offheap} backend with a resident budget of {@code budgetMiB}
 * (timed: the load rate), then read-modify-write (+1 on the first 8 bytes) with Zipf-skewed keys (θ 0.99, the JMH
 * benchmarks' sequence) for {@code seconds} after {@code warmupSeconds} (the RMW rate). Run it twice, with the budget
 * under test and with one that holds everything ({@code budgetMiB=4096}), and compare the rates: same keys, same
 * values, same sequence.
 *
 * <p>Memory: the process's {@code VmRSS} ({@code /proc/self/status}) before the backend opens (baseline: start the
 * JVM with {@code -Xms = -Xmx} and {@code -XX:+AlwaysPreTouch} so the heap is resident from the start), after the
 * load, and its maximum sampled about every 100 ms during the load and the RMW phase. RSS over the baseline is
 * off-heap memory: mapped pages and native allocations, to compare with the budget.
 *
 * <p>A load that exceeds {@code maxLoadSeconds} is stopped there: the load rate is over the keys loaded, the RMW
 * phase runs over those keys only, and the report says {@code complete=false}.
 *
 * <p>Options, {@code name=value}: {@code keyCount} (4000000), {@code valueSize} (100), {@code budgetMiB} (128),
 * {@code segmentMiB} (0: the backend's default segment size), {@code seconds} (10), {@code warmupSeconds} (3),
 * {@code maxLoadSeconds} (300), {@code label} (a name for the point), {@code results} (a file the tab-separated
 * result line is appended to; default {@code spill-run.tsv}). Uses only the backend adapter and
 * {@link OffHeapBackendContext}'s public settings, so it runs unchanged on another store behind them.
 */
public final class SpillRun {
    private static final VarHandle LONG_AT =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final String HEADER = "label\tkeyCount\tvalueSize\tbudgetMiB\tsegmentMiB\tloadedKeys\tcomplete"
            + "\tloadSeconds\tloadKeysPerSec\trmwOps\trmwOpsPerSec\tstateFileMiB\tbaselineRssMiB\tloadedRssMiB"
            + "\tmaxRssMiB\tmaxRssOverBaselineMiB\tload1Start\tload1End";
    private static final Set<String> NAMES = Set.of(
            "keyCount",
            "valueSize",
            "budgetMiB",
            "segmentMiB",
            "seconds",
            "warmupSeconds",
            "maxLoadSeconds",
            "label",
            "results");
    private static final long SAMPLE_NANOS = 100_000_000L;

    private long maxRssKb;
    private long lastSample;

    public static void main(String[] args) throws Exception {
        Map<String, String> options = CommandLine.options(args, NAMES);
        new SpillRun().run(options);
    }

    private void run(Map<String, String> options) throws Exception {
        int keyCount = Integer.parseInt(options.getOrDefault("keyCount", "4000000"));
        int valueSize = Integer.parseInt(options.getOrDefault("valueSize", "100"));
        long budgetMiB = Long.parseLong(options.getOrDefault("budgetMiB", "128"));
        int segmentMiB = Integer.parseInt(options.getOrDefault("segmentMiB", "0"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "10"));
        int warmupSeconds = Integer.parseInt(options.getOrDefault("warmupSeconds", "3"));
        int maxLoadSeconds = Integer.parseInt(options.getOrDefault("maxLoadSeconds", "300"));
        String label = options.getOrDefault("label", "budget" + budgetMiB);
        Path results = Path.of(options.getOrDefault("results", "spill-run.tsv"));
        if (valueSize < Long.BYTES || keyCount <= 0 || budgetMiB <= 0 || segmentMiB < 0) {
            throw new ConfigurationException("out of range: keyCount=" + keyCount + " (> 0), valueSize=" + valueSize
                    + " (>= 8), budgetMiB=" + budgetMiB + " (> 0), segmentMiB=" + segmentMiB + " (>= 0)");
        }

        String load1Start = load1();
        long baselineRssKb = ResidentSet.kilobytes();
        maxRssKb = baselineRssKb;
        KeySpace keySpace = new KeySpace(keyCount);
        keySpace.boxedKeys();
        Path directory = Files.createTempDirectory("tidemark-spill-run-");
        OffHeapBackendContext context = new OffHeapBackendContext().residentBudget(budgetMiB << 20);
        if (segmentMiB > 0) {
            context.segmentSize(segmentMiB << 20);
        }
        try (TidemarkBackend backend =
                new TidemarkBackend("tidemarkOffheap", new OffHeapStateBackend(context), keySpace, directory, false)) {
            BytesValueState values = backend.bytesValueState(valueSize);

            SplittableRandom random = new SplittableRandom(keyCount);
            long loadStart = System.nanoTime();
            long loadDeadline = loadStart + maxLoadSeconds * 1_000_000_000L;
            int loaded = 0;
            while (loaded < keyCount) {
                byte[] value = new byte[valueSize];
                for (int i = 0; i + Long.BYTES <= valueSize; i += Long.BYTES) {
                    LONG_AT.set(value, i, random.nextLong());
                }
                values.put(loaded++, value);
                if ((loaded & 4095) == 0 && sample(System.nanoTime()) > loadDeadline) {
                    break;
                }
            }
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            long loadedRssKb = ResidentSet.kilobytes();
            maxRssKb = Math.max(maxRssKb, loadedRssKb);
            System.out.printf(
                    Locale.ROOT,
                    "%s: loaded %d of %d keys x %d B in %.1f s (%.0f keys/s), RSS %.0f MiB%n",
                    label,
                    loaded,
                    keyCount,
                    valueSize,
                    loadSeconds,
                    loaded / loadSeconds,
                    loadedRssKb / 1024.0);

            KeySequence keys = KeySequence.of("zipf", new KeySpace(loaded), 42L);
            readModifyWrite(values, keys, warmupSeconds * 1_000_000_000L);
            long begin = System.nanoTime();
            long ops = readModifyWrite(values, keys, seconds * 1_000_000_000L);
            double rmwSeconds = (System.nanoTime() - begin) / 1e9;
            long stateBytes = bytesOfFiles(directory);

            String line = String.format(
                    Locale.ROOT,
                    "%s\t%d\t%d\t%d\t%d\t%d\t%b\t%.2f\t%.0f\t%d\t%.0f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%s\t%s",
                    label,
                    keyCount,
                    valueSize,
                    budgetMiB,
                    segmentMiB,
                    loaded,
                    loaded == keyCount,
                    loadSeconds,
                    loaded / loadSeconds,
                    ops,
                    ops / rmwSeconds,
                    stateBytes / 1048576.0,
                    baselineRssKb / 1024.0,
                    loadedRssKb / 1024.0,
                    maxRssKb / 1024.0,
                    (maxRssKb - baselineRssKb) / 1024.0,
                    load1Start,
                    load1());
            System.out.println("SPILL-RUN " + HEADER);
            System.out.println("SPILL-RUN " + line);
            CommandLine.appendResult(results, HEADER, line);
        } finally {
            deleteRecursively(directory);
        }
    }

    /** Zipf read-modify-write until {@code nanos} have passed; returns the operations done. */
    private long readModifyWrite(BytesValueState values, KeySequence keys, long nanos) throws Exception {
        long deadline = System.nanoTime() + nanos;
        long ops = 0;
        while (true) {
            for (int i = 0; i < 1024; i++) {
                int key = keys.next();
                byte[] value = values.get(key);
                LONG_AT.set(value, 0, (long) LONG_AT.get(value, 0) + 1);
                values.put(key, value);
            }
            ops += 1024;
            if (sample(System.nanoTime()) >= deadline) {
                return ops;
            }
        }
    }

    /** Samples the RSS at most every {@link #SAMPLE_NANOS}; returns {@code now}. */
    private long sample(long now) throws IOException {
        if (now - lastSample >= SAMPLE_NANOS) {
            lastSample = now;
            maxRssKb = Math.max(maxRssKb, ResidentSet.kilobytes());
        }
        return now;
    }

    private static String load1() throws IOException {
        Path loadavg = Path.of("/proc/loadavg");
        return Files.exists(loadavg) ? Files.readString(loadavg).split(" ")[0] : "n/a";
    }

    private static long bytesOfFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            long total = 0;
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                total += Files.size(file);
            }
            return total;
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
