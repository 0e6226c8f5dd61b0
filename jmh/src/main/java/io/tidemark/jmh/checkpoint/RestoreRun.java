package io.tidemark.jmh.checkpoint;

import io.tidemark.ConfigurationException;
import io.tidemark.jmh.CommandLine;
import io.tidemark.jmh.keys.KeySpace;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Restore as a benchmark command (a main class in {@code benchmarks.jar}), so that writing the checkpoint and
 * restoring it run in different JVMs: the restoring JVM can be started with a heap smaller than the state
 * ({@code -Xmx512m} for 10M × 100 B, about 1 GB of values).
 *
 * <ul>
 *   <li>{@code phase=write}: loads {@code keyCount} keys with {@code valueSize}-byte random values into the
 *       {@code offheap} backend (resident budget 4 GiB, as the checkpoint benchmarks), takes one checkpoint of kind
 *       {@code snapshot} ({@code full} or {@code incremental}, the first incremental one holding everything) into
 *       {@code dir} through the checkpoint module's file storage, and keeps the files.
 *   <li>{@code phase=restore}: restores a fresh backend from the latest checkpoint in {@code dir} (what
 *       {@code RestoreBenchmark} times, once) and reads one key through the state API; prints the time, the peak heap
 *       use (the heap pools' peak usage) and whether it worked; an {@link OutOfMemoryError} is reported as
 *       {@code result=OutOfMemoryError}, not thrown. The restored backend is deleted afterwards; the checkpoint stays.
 * </ul>
 *
 * <p>Options, {@code name=value}: {@code phase} (required), {@code dir} (required; a directory for {@code write},
 * created if absent, and the same directory for {@code restore}), {@code keyCount} (10000000), {@code valueSize}
 * (100), {@code snapshot} ({@code full}), {@code results} (file the result line is appended to, default
 * {@code restore-run.tsv}). {@code keyCount} and {@code valueSize} must be the same in both phases: the key space and
 * the values are regenerated from them.
 */
public final class RestoreRun {
    private static final String HEADER =
            "phase\tkeyCount\tvalueSize\tsnapshot\tresult\tseconds\tbytesOnDisk" + "\tmaxHeapMiB\tpeakHeapUsedMiB";
    private static final Set<String> NAMES = Set.of("phase", "dir", "keyCount", "valueSize", "snapshot", "results");

    private RestoreRun() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = CommandLine.options(args, NAMES);
        String phase = require(options, "phase");
        Path dir = Path.of(require(options, "dir"));
        int keyCount = Integer.parseInt(options.getOrDefault("keyCount", "10000000"));
        int valueSize = Integer.parseInt(options.getOrDefault("valueSize", "100"));
        String snapshot = options.getOrDefault("snapshot", "full");
        Path results = Path.of(options.getOrDefault("results", "restore-run.tsv"));
        if (!snapshot.equals("full") && !snapshot.equals("incremental")) {
            throw new ConfigurationException(
                    "unknown snapshot: snapshot=" + snapshot + ", allowed=[full, incremental]");
        }
        KeySpace keys = new KeySpace(keyCount);
        switch (phase) {
            case "write" -> write(dir, keys, valueSize, snapshot, results);
            case "restore" -> restore(dir, keys, valueSize, snapshot, results);
            default -> throw new ConfigurationException("unknown phase: phase=" + phase + ", allowed=[write, restore]");
        }
    }

    private static void write(Path dir, KeySpace keys, int valueSize, String snapshot, Path results) throws Exception {
        Files.createDirectories(dir);
        long start = System.nanoTime();
        long bytes;
        try (CheckpointSubject subject =
                CheckpointSubjects.open(CheckpointSubjects.TIDEMARK_OFFHEAP, keys, dir, true)) {
            CheckpointValues.load(subject, keys.count(), new CheckpointValues(valueSize, 42));
            System.out.printf(
                    Locale.ROOT, "loaded %d keys in %.1f s%n", keys.count(), (System.nanoTime() - start) / 1e9);
            bytes = subject.checkpoint(1, snapshot.equals("incremental")).bytesWritten();
        }
        // the writer's working directory; the restoring JVM creates its own backends under dir
        NewFiles.deleteRecursively(dir.resolve("backend-0"));
        report(results, "write", keys, valueSize, snapshot, "ok", (System.nanoTime() - start) / 1e9, bytes);
    }

    private static void restore(Path dir, KeySpace keys, int valueSize, String snapshot, Path results)
            throws Exception {
        String result;
        long start;
        long end;
        try (CheckpointSubject subject =
                CheckpointSubjects.open(CheckpointSubjects.TIDEMARK_OFFHEAP, keys, dir, true)) {
            start = System.nanoTime();
            try {
                int length = subject.restoreLatest(keys.count() / 2);
                result = length > 0 ? "ok" : "empty value";
            } catch (OutOfMemoryError e) {
                result = "OutOfMemoryError";
                // what ran out (heap, direct memory) and where: the stack names the restore step
                e.printStackTrace(System.out);
            }
            end = System.nanoTime();
        } finally {
            NewFiles.deleteRecursively(dir.resolve("backend-0"));
            NewFiles.deleteRecursively(dir.resolve("backend-1"));
        }
        report(
                results,
                "restore",
                keys,
                valueSize,
                snapshot,
                result,
                (end - start) / 1e9,
                NewFiles.bytesSince(dir.resolve("checkpoints"), Set.of()));
    }

    private static void report(
            Path results,
            String phase,
            KeySpace keys,
            int valueSize,
            String snapshot,
            String result,
            double seconds,
            long bytesOnDisk)
            throws IOException {
        long peakHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peakHeap += pool.getPeakUsage().getUsed();
            }
        }
        String line = String.format(
                Locale.ROOT,
                "%s\t%d\t%d\t%s\t%s\t%.3f\t%d\t%.0f\t%.0f",
                phase,
                keys.count(),
                valueSize,
                snapshot,
                result,
                seconds,
                bytesOnDisk,
                Runtime.getRuntime().maxMemory() / 1048576.0,
                peakHeap / 1048576.0);
        System.out.println("RESTORE-RUN " + HEADER);
        System.out.println("RESTORE-RUN " + line);
        CommandLine.appendResult(results, HEADER, line);
    }

    private static String require(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new ConfigurationException("missing option: option=" + name + ", allowed=" + NAMES);
        }
        return value;
    }
}
