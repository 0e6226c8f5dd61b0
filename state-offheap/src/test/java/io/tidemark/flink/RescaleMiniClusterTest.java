package io.tidemark.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
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
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The keyed job of {@link ExactlyOnceMiniClusterTest} at parallelism 2 takes half its input and stops with a
 * savepoint; the savepoint is restored once at parallelism 3 and once at parallelism 1 (key groups split and merged);
 * each restored run finishes the input, and the first run's committed output plus the restored run's equals the
 * oracle's, every line exactly once. On Flink's heap backend (the control) and on Tidemark's, in Flink's canonical
 * savepoint format (the one the issue asks for; Tidemark's backend refuses native savepoints), restored in Flink's
 * default NO_CLAIM mode.
 */
class RescaleMiniClusterTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .build());

    private static final SequenceShape SHAPE = new SequenceShape(32, 400, 20);
    private static final long TIMEOUT_SECONDS = 60;

    @TempDir
    Path dir;

    private final List<String> runIds = new ArrayList<>();

    @AfterEach
    void forgetRuns() {
        runIds.forEach(RunReports::forget);
    }

    @ParameterizedTest
    @EnumSource(BackendUnderTest.class)
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void canonicalSavepointAtParallelismTwoRestoresAtThreeAndAtOne(BackendUnderTest backend) throws Exception {
        Path firstOutput = dir.resolve("output-p2");
        String savepoint = runHalfAndStopWithSavepoint(backend, firstOutput);
        List<String> beforeSavepoint = CommittedLinesSink.committedLines(firstOutput);
        assertThat(beforeSavepoint)
                .as("windows closed before the savepoint")
                .isNotEmpty()
                .hasSizeLessThan(SHAPE.expectedOutput().size());

        for (int parallelism : new int[] {3, 1}) {
            Path output = dir.resolve("output-p" + parallelism);
            restoreAndFinish(backend, savepoint, parallelism, output);
            List<String> all = new ArrayList<>(beforeSavepoint);
            all.addAll(CommittedLinesSink.committedLines(output));
            assertThat(all)
                    .as("output at parallelism 2 then %d", parallelism)
                    .containsExactlyInAnyOrderElementsOf(SHAPE.expectedOutput());
        }
    }

    private String runHalfAndStopWithSavepoint(BackendUnderTest backend, Path output) throws Exception {
        String runId = newRun();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration(backend));
        new SequenceJob(SHAPE, 2, new SourceGate(runId, SHAPE.records() / 2), false).addTo(env, runId, output);
        JobClient job = env.executeAsync("half at parallelism 2 on " + backend);
        RunReports reports = RunReports.of(runId);
        // a savepoint needs every task running (a completed checkpoint shows they are); a fired window means some
        // output is committed before the savepoint and the rest after it. A job failure ends the wait.
        CompletableFuture<Void> ready =
                CompletableFuture.allOf(reports.gateClosed, reports.checkpointCompleted, reports.windowFired);
        CompletableFuture.anyOf(ready, job.getJobExecutionResult()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertThat(ready)
                .as("the source reached its gate, a checkpoint completed, a window fired")
                .isDone();
        String savepoint = job.stopWithSavepoint(
                        false, dir.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        job.getJobExecutionResult().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertThat(reports.keyedBackends)
                .isNotEmpty()
                .allMatch(name -> name.startsWith(backend.keyedBackendClassPrefix));
        return savepoint;
    }

    private void restoreAndFinish(BackendUnderTest backend, String savepoint, int parallelism, Path output)
            throws Exception {
        String runId = newRun();
        Configuration config = configuration(backend);
        config.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        new SequenceJob(SHAPE, parallelism, RateLimiterStrategy.noOp(), false).addTo(env, runId, output);

        env.execute("restore at parallelism " + parallelism + " on " + backend);

        RunReports reports = RunReports.of(runId);
        assertThat(reports.restored)
                .as("the keyed operator started from the savepoint")
                .isTrue();
        assertThat(reports.keyedBackends)
                .isNotEmpty()
                .allMatch(name -> name.startsWith(backend.keyedBackendClassPrefix));
    }

    private Configuration configuration(BackendUnderTest backend) {
        Configuration config = SequenceJob.configuration(dir.resolve("checkpoints"));
        backend.selectIn(config);
        return config;
    }

    private String newRun() {
        String runId = UUID.randomUUID().toString();
        runIds.add(runId);
        return runId;
    }
}
