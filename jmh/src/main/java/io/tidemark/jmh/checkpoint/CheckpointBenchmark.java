package io.tidemark.jmh.checkpoint;

import io.tidemark.jmh.keys.KeySpace;
import io.tidemark.jmh.keys.RandomKeyChoice;
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
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * One complete checkpoint per JMH iteration (single shot): update a share of the keys (not measured), then the
 * synchronous part, the asynchronous part inline on the same thread, and the completion (Tidemark: streams
 * referenced and {@code _metadata} committed with fsync; both: the backend notified). JMH's score is the whole
 * checkpoint; {@link CheckpointRecorder} reports the parts per trial: synchronous pause p50/p99/max, asynchronous
 * duration, bytes written.
 *
 * <p>{@code snapshot}: {@code full} (1% of the keys updated between checkpoints), {@code incr1} and {@code incr10}
 * (incremental after updating 1% / 10% of the keys; Flink heap has no incremental snapshot and writes full ones). The
 * updated keys are distinct and chosen uniformly at random before every checkpoint ({@link RandomKeyChoice}).
 * A first checkpoint after the load is the base of the incremental ones and is not measured.
 *
 * <p>{@code valueSizes}: {@code fixed} (every value {@code valueSize} bytes) or {@code varied} (lengths uniform in
 * {@code [valueSize / 2, valueSize * 3 / 2]}, see {@link CheckpointValues}); either way the state's serializer has no
 * fixed length. The reported changed bytes are the value bytes written by the updates before a measured checkpoint
 * (their mean over the measured checkpoints with {@code varied}); bytes per changed byte = bytes of the new checkpoint
 * files (p50) ÷ changed bytes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgs = {"-Xms1g", "-Xmx6g"})
@Warmup(iterations = 5)
@Measurement(iterations = 30)
public class CheckpointBenchmark {
    private static final int KEY_BYTES = 8;

    @Param({"tidemarkOffheap", "tidemarkHeap", "flinkHeap", "flinkRocksdb"})
    public String backend;

    @Param("100000")
    public int keyCount;

    @Param("100")
    public int valueSize;

    @Param({"full", "incr1", "incr10"})
    public String snapshot;

    @Param({"fixed"})
    public String valueSizes;

    private Path directory;
    private CheckpointSubject subject;
    private CheckpointValues values;
    private CheckpointRecorder recorder;
    private boolean incremental;
    private int updatesPerCheckpoint;
    private RandomKeyChoice updated;
    private long checkpointId;
    private boolean measuring;
    private long changedBytesMeasured;
    private int measuredUpdates;

    @Setup(Level.Trial)
    public void open() throws Exception {
        incremental = !snapshot.equals("full");
        int percent =
                switch (snapshot) {
                    case "full", "incr1" -> 1;
                    case "incr10" -> 10;
                    default ->
                        throw new IllegalArgumentException(
                                "unknown snapshot: snapshot=" + snapshot + ", allowed=[full, incr1, incr10]");
                };
        updatesPerCheckpoint = (int) ((long) keyCount * percent / 100);
        directory = Files.createTempDirectory("tidemark-jmh-checkpoint-");
        subject = CheckpointSubjects.open(backend, new KeySpace(keyCount), directory, incremental);
        values = new CheckpointValues(valueSize, valueSizes, 42);
        CheckpointValues.load(subject, keyCount, values);
        subject.checkpoint(++checkpointId, incremental);
        recorder = new CheckpointRecorder(10_000);
        updated = new RandomKeyChoice(keyCount, 7L);
    }

    /**
     * Updates {@code updatesPerCheckpoint} distinct keys chosen uniformly at random (not in load order: a store that
     * lays keys out in insertion order would otherwise see its dirty data packed into the fewest pages).
     */
    @Setup(Level.Iteration)
    public void update(IterationParams iteration) throws Exception {
        measuring = iteration.getType() == IterationType.MEASUREMENT;
        updated.choose(updatesPerCheckpoint);
        int[] keys = updated.indexes();
        long producedBefore = values.bytesProduced();
        for (int i = 0; i < updatesPerCheckpoint; i++) {
            subject.put(keys[i], values.next());
        }
        if (measuring) {
            changedBytesMeasured += values.bytesProduced() - producedBefore;
            measuredUpdates++;
        }
    }

    @Benchmark
    public CheckpointSample checkpoint() throws Exception {
        CheckpointSample sample = subject.checkpoint(++checkpointId, incremental);
        if (measuring) {
            recorder.add(sample);
        }
        return sample;
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        try {
            CheckpointRecorder.publish(recorder.report(
                    "checkpoint",
                    backend,
                    keyCount,
                    valueSize,
                    valueSizes.equals(CheckpointValues.FIXED) ? snapshot : snapshot + "-" + valueSizes,
                    (long) keyCount * (KEY_BYTES + valueSize),
                    measuredUpdates == 0 ? 0 : Math.round((double) changedBytesMeasured / measuredUpdates)));
        } finally {
            subject.close();
            NewFiles.deleteRecursively(directory);
        }
    }
}
