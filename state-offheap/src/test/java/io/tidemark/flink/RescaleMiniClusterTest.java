package io.tidemark.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The keyed job of {@link ExactlyOnceMiniClusterTest} at parallelism 2 takes half its input and stands still; its
 * state is taken either as a canonical savepoint (stop-with-savepoint) or as the last retained checkpoint (incremental
 * where the backend can; the job is then cancelled). That snapshot is restored once at parallelism 3 and once at
 * parallelism 1 (key groups split and merged), each time over a copy of the first run's sink directory, and the
 * restored run finishes the input: the committed output must then equal the oracle's, every line exactly once. On
 * Flink's heap backend (the control) and on Tidemark's, restored in Flink's default NO_CLAIM mode.
 *
 * <p>Native savepoints are not run: issue 15 asks for canonical ones, and Tidemark's backend refuses native ones.
 */
class RescaleMiniClusterTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .build());

    private static final SequenceShape SHAPE = new SequenceShape(32, 400, 20);
    private static final long TIMEOUT_SECONDS = 60;

    /** How the first run's state is taken. */
    enum Snapshot {
        CANONICAL_SAVEPOINT,
        RETAINED_CHECKPOINT
    }

    @TempDir
    Path dir;

    private final List<String> runIds = new ArrayList<>();

    @AfterEach
    void forgetRuns() {
        runIds.forEach(RunReports::forget);
    }

    static Stream<Arguments> backendsAndSnapshots() {
        return Stream.of(BackendUnderTest.values())
                .flatMap(backend -> Stream.of(Snapshot.values()).map(snapshot -> Arguments.of(backend, snapshot)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backendsAndSnapshots")
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void stateTakenAtParallelismTwoRestoresAtThreeAndAtOne(BackendUnderTest backend, Snapshot snapshot)
            throws Exception {
        Path firstOutput = dir.resolve("output-p2");
        String restorePoint = runHalfAndTakeState(backend, snapshot, firstOutput);
        assertThat(CommittedLinesSink.committedLines(firstOutput))
                .as("output committed before the state was taken: some, not all")
                .hasSizeLessThan(SHAPE.expectedOutput().size());

        for (int parallelism : new int[] {3, 1}) {
            Path output = dir.resolve("output-p" + parallelism);
            copyTree(firstOutput, output);
            restoreAndFinish(backend, restorePoint, parallelism, output);
            assertThat(CommittedLinesSink.committedLines(output))
                    .as("output at parallelism 2 then %d", parallelism)
                    .containsExactlyInAnyOrderElementsOf(SHAPE.expectedOutput());
        }
    }

    /** Runs half the input at parallelism 2 and returns the path of the savepoint or retained checkpoint. */
    private String runHalfAndTakeState(BackendUnderTest backend, Snapshot snapshot, Path output) throws Exception {
        String runId = newRun();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration(backend));
        new SequenceJob(SHAPE, 2, new SourceGate(runId, SHAPE.records() / 2), false).addTo(env, runId, output);
        JobClient job = env.executeAsync("half at parallelism 2 on " + backend);
        RunReports reports = RunReports.of(runId);
        // a savepoint needs every task running (a completed checkpoint shows they are); a fired window means some
        // output is committed before the state is taken and the rest after it. A job failure ends the wait.
        CompletableFuture<Void> ready =
                CompletableFuture.allOf(reports.gateClosed, reports.checkpointCompleted, reports.windowFired);
        CompletableFuture.anyOf(ready, job.getJobExecutionResult()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertThat(ready)
                .as("the source reached its gate, a checkpoint completed, a window fired")
                .isDone();
        String restorePoint =
                switch (snapshot) {
                    case CANONICAL_SAVEPOINT -> stopWithSavepoint(job);
                    case RETAINED_CHECKPOINT -> cancelKeepingCheckpoint(job);
                };
        assertThat(reports.keyedBackends)
                .isNotEmpty()
                .allMatch(name -> name.startsWith(backend.keyedBackendClassPrefix));
        return restorePoint;
    }

    private String stopWithSavepoint(JobClient job) throws Exception {
        String savepoint = job.stopWithSavepoint(
                        false, dir.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        job.getJobExecutionResult().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return savepoint;
    }

    /** Cancels the job; checkpoints are retained on cancellation, and the last one is where the restore starts. */
    private String cancelKeepingCheckpoint(JobClient job) throws Exception {
        job.cancel().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        // a cancelled job's result completes exceptionally: wait for it, whichever way it ends
        job.getJobExecutionResult().handle((result, failure) -> null).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Path jobCheckpoints = dir.resolve("checkpoints").resolve(job.getJobID().toString());
        try (Stream<Path> entries = Files.list(jobCheckpoints)) {
            return entries.filter(path -> path.getFileName().toString().startsWith("chk-"))
                    .filter(path -> Files.exists(path.resolve("_metadata")))
                    .max(Comparator.comparingLong(RescaleMiniClusterTest::checkpointId))
                    .orElseThrow(() -> new AssertionError("no retained checkpoint: directory=" + jobCheckpoints))
                    .toUri()
                    .toString();
        }
    }

    private static long checkpointId(Path checkpointDirectory) {
        return Long.parseLong(checkpointDirectory.getFileName().toString().substring("chk-".length()));
    }

    private void restoreAndFinish(BackendUnderTest backend, String restorePoint, int parallelism, Path output)
            throws Exception {
        String runId = newRun();
        Configuration config = configuration(backend);
        config.set(StateRecoveryOptions.SAVEPOINT_PATH, restorePoint);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        new SequenceJob(SHAPE, parallelism, RateLimiterStrategy.noOp(), false).addTo(env, runId, output);

        env.execute("restore at parallelism " + parallelism + " on " + backend);

        RunReports reports = RunReports.of(runId);
        assertThat(reports.restored)
                .as("the keyed operator started from the savepoint or checkpoint")
                .isTrue();
        assertThat(reports.keyedBackends)
                .isNotEmpty()
                .allMatch(name -> name.startsWith(backend.keyedBackendClassPrefix));
    }

    private Configuration configuration(BackendUnderTest backend) {
        Configuration config = SequenceJob.configuration(dir.resolve("checkpoints"));
        config.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        backend.selectIn(config);
        return config;
    }

    private String newRun() {
        String runId = UUID.randomUUID().toString();
        runIds.add(runId);
        return runId;
    }

    /** Copies the first run's sink directory (staged and committed files), so each restore starts from it. */
    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Files.copy(path, to.resolve(from.relativize(path).toString()));
            }
        }
    }
}
