package io.tidemark.jmh.spill;

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
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Larger-than-budget state: read-modify-write (+1 on the first 8 bytes of a 100-byte value) with Zipf-skewed keys on
 * the {@code offheap} backend whose resident budget is a quarter of the state ({@code budget=quarter}) or larger than
 * all of it ({@code budget=unlimited}); everything else equal (page and segment size).
 *
 * <p>The state size is measured, not guessed: a first load into a backend with room for everything, the bytes of its
 * allocated pages counted (page files are written only for evicted pages, so their size says nothing here), then the
 * measured backend opened with the budget derived from it and loaded again. The fork's
 * heap is fixed and pre-touched ({@code -Xms = -Xmx}, {@code -XX:+AlwaysPreTouch}), so growth of the process's
 * resident set ({@code VmRSS} of {@code /proc/self/status}) over the baseline taken before any state exists is
 * off-heap memory: page frames and native allocations.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgs = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SpillBenchmark {
    private static final VarHandle LONG_AT =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ROOMY_BUDGET = 4L << 30;

    @Param("1000000")
    public int keyCount;

    @Param("100")
    public int valueSize;

    @Param({"quarter", "unlimited"})
    public String budget;

    /** Segment size (page-id range per spill file); the budget of {@code quarter} is rounded down to whole segments. */
    @Param("4096")
    public int segmentKiB;

    private Path directory;
    private TidemarkBackend backend;
    private BytesValueState values;
    private KeySequence keys;
    private long baselineRssKb;
    private long loadedRssKb;
    private long maxRssKb;
    private long stateBytes;
    private long budgetBytes;

    @Setup(Level.Trial)
    public void open() throws Exception {
        baselineRssKb = ResidentSet.kilobytes();
        directory = Files.createTempDirectory("tidemark-jmh-spill-");
        KeySpace keySpace = new KeySpace(keyCount);
        stateBytes = measureStateBytes(keySpace);
        long segmentSize = segmentKiB * 1024L;
        budgetBytes = switch (budget) {
            case "quarter" -> Math.max(2L * segmentSize, stateBytes / 4 / segmentSize * segmentSize);
            case "unlimited" -> ROOMY_BUDGET;
            default ->
                throw new IllegalArgumentException(
                        "unknown budget: budget=" + budget + ", allowed=[quarter, unlimited]");
        };
        backend = open(keySpace, directory.resolve("measured"), budgetBytes);
        values = backend.bytesValueState(valueSize);
        load(values);
        loadedRssKb = ResidentSet.kilobytes();
        keys = KeySequence.of("zipf", keySpace, 42L);
    }

    @Benchmark
    public void readModifyWrite() throws Exception {
        int key = keys.next();
        byte[] value = values.get(key);
        LONG_AT.set(value, 0, (long) LONG_AT.get(value, 0) + 1);
        values.put(key, value);
    }

    @TearDown(Level.Iteration)
    public void sampleResidentSet() throws IOException {
        maxRssKb = Math.max(maxRssKb, ResidentSet.kilobytes());
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        try {
            String line = String.format(
                    Locale.ROOT,
                    "SPILL-RESULT budget=%s segmentKiB=%d keyCount=%d valueSize=%d stateMiB=%.1f budgetMiB=%.1f"
                            + " baselineRssMiB=%.1f loadedRssMiB=%.1f maxRssMiB=%.1f maxRssOverBaselineMiB=%.1f",
                    budget,
                    segmentKiB,
                    keyCount,
                    valueSize,
                    stateBytes / 1048576.0,
                    budgetBytes / 1048576.0,
                    baselineRssKb / 1024.0,
                    loadedRssKb / 1024.0,
                    maxRssKb / 1024.0,
                    (maxRssKb - baselineRssKb) / 1024.0);
            System.out.println(line);
        } finally {
            backend.close();
            deleteRecursively(directory);
        }
    }

    private long measureStateBytes(KeySpace keySpace) throws Exception {
        Path sizing = directory.resolve("sizing");
        try (TidemarkBackend roomy = open(keySpace, sizing, ROOMY_BUDGET)) {
            load(roomy.bytesValueState(valueSize));
            return roomy.pageBytes();
        } finally {
            deleteRecursively(sizing);
        }
    }

    private TidemarkBackend open(KeySpace keySpace, Path workDir, long residentBudget) throws IOException {
        Files.createDirectories(workDir);
        OffHeapBackendContext context =
                new OffHeapBackendContext().segmentSize(segmentKiB * 1024).residentBudget(residentBudget);
        return new TidemarkBackend("tidemarkOffheap", new OffHeapStateBackend(context), keySpace, workDir, false);
    }

    private void load(BytesValueState state) throws Exception {
        SplittableRandom random = new SplittableRandom(keyCount);
        for (int key = 0; key < keyCount; key++) {
            byte[] value = new byte[valueSize];
            for (int i = 0; i + Long.BYTES <= valueSize; i += Long.BYTES) {
                LONG_AT.set(value, i, random.nextLong());
            }
            state.put(key, value);
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
