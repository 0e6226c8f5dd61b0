package io.tidemark.jmh.checkpoint;

import io.tidemark.jmh.keys.KeySpace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
 * Restore time (single shot): a fresh backend built from a checkpoint on disk of {@code keyCount} keys with
 * {@code valueSize}-byte values, then one key read through the state API; the restored backend is disposed of after
 * the measurement. The checkpoint is written once per trial (Flink RocksDB: incremental, so restore downloads its SST
 * files). The files were just written, so they are read from the page cache: this measures decode and rebuild, not
 * the disk. {@code snapshot}: the kind of Tidemark's checkpoint, {@code incremental} (the first one after the load,
 * so it holds all the state) or {@code full}; Flink's backends ignore it.
 *
 * <p>{@code io.tidemark.jmh.checkpoint.RestoreRun} is the same restore as a command, for state the benchmark's fork
 * heap should not hold (10M keys with {@code -Xmx512m}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgs = {"-Xms1g", "-Xmx6g"})
@Warmup(iterations = 3)
@Measurement(iterations = 10)
public class RestoreBenchmark {
    @Param({"tidemarkOffheap", "tidemarkHeap", "flinkHeap", "flinkRocksdb"})
    public String backend;

    @Param("100000")
    public int keyCount;

    @Param("100")
    public int valueSize;

    @Param({"incremental"})
    public String snapshot;

    private Path directory;
    private CheckpointSubject subject;
    private int probe;

    @Setup(Level.Trial)
    public void checkpoint() throws Exception {
        directory = Files.createTempDirectory("tidemark-jmh-restore-");
        boolean incremental =
                switch (snapshot) {
                    case "incremental" -> true;
                    case "full" -> false;
                    default ->
                        throw new IllegalArgumentException(
                                "unknown snapshot: snapshot=" + snapshot + ", allowed=[incremental, full]");
                };
        subject = CheckpointSubjects.open(backend, new KeySpace(keyCount), directory, true);
        CheckpointValues.load(subject, keyCount, new CheckpointValues(valueSize, 42));
        CheckpointSample sample = subject.checkpoint(1, incremental);
        System.out.println("RESTORE-CHECKPOINT backend=" + backend + " keyCount=" + keyCount + " valueSize=" + valueSize
                + " snapshot=" + snapshot + " bytesOnDisk=" + sample.bytesWritten());
    }

    /** A collection between restores, so one restore's garbage is not collected during the next. */
    @TearDown(Level.Iteration)
    public void collect() {
        System.gc();
    }

    @Benchmark
    public int restore() throws Exception {
        probe = (probe + 7919) % keyCount;
        return subject.restoreLatest(probe);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        try {
            subject.close();
        } finally {
            NewFiles.deleteRecursively(directory);
        }
    }
}
