package io.tidemark.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A keyed job with value, reducing, aggregating, map and list state and event-time timers runs on a MiniCluster with
 * checkpoints every 100 ms; its keyed function fails once after a checkpoint completed; Flink restarts it from that
 * checkpoint; its two-phase-commit sink's committed output equals the oracle's, every line exactly once. On Flink's
 * heap backend (the control) and on Tidemark's, each selected by configuration text ({@code state.backend.type}) and
 * in code (typed options through {@code env.configure}).
 */
class ExactlyOnceMiniClusterTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .build());

    /** 32 keys x 400 records in windows of 20: 12,800 records, 640 window lines and 32 final lines. */
    private static final SequenceShape SHAPE = new SequenceShape(32, 400, 20);

    /** The source stops after this many records until the next checkpoint completes: about 13 checkpoints a run. */
    private static final int RECORDS_PER_CHECKPOINT = 1000;

    @TempDir
    Path dir;

    private final String runId = UUID.randomUUID().toString();

    private Path output;

    @BeforeEach
    void outputDirectory() {
        output = dir.resolve("output");
    }

    @AfterEach
    void forgetRun() {
        RunReports.forget(runId);
    }

    @ParameterizedTest
    @EnumSource(BackendUnderTest.class)
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void selectedByConfiguration(BackendUnderTest backend) throws Exception {
        Configuration config = SequenceJob.configuration(dir.resolve("checkpoints"));
        backend.selectIn(config);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        job().addTo(env, runId, output);

        env.execute("exactly-once on " + backend + " selected by configuration");

        assertExactlyOnceThroughAFailure(backend);
    }

    @ParameterizedTest
    @EnumSource(BackendUnderTest.class)
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void selectedInCode(BackendUnderTest backend) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                SequenceJob.configuration(dir.resolve("checkpoints")));
        env.configure(backend.typedSelection());
        job().addTo(env, runId, output);

        env.execute("exactly-once on " + backend + " selected in code");

        assertExactlyOnceThroughAFailure(backend);
    }

    private static SequenceJob job() {
        return new SequenceJob(SHAPE, 2, RateLimiterStrategy.perCheckpoint(RECORDS_PER_CHECKPOINT), true);
    }

    private void assertExactlyOnceThroughAFailure(BackendUnderTest backend) throws IOException {
        RunReports reports = RunReports.of(runId);
        assertThat(reports.failed).as("the injected failure happened").isTrue();
        assertThat(reports.restored)
                .as("the keyed operator restarted from a checkpoint")
                .isTrue();
        assertThat(reports.keyedBackends)
                .isNotEmpty()
                .allMatch(name -> name.startsWith(backend.keyedBackendClassPrefix));
        assertThat(CommittedLinesSink.committedLines(output))
                .containsExactlyInAnyOrderElementsOf(SHAPE.expectedOutput());
    }
}
