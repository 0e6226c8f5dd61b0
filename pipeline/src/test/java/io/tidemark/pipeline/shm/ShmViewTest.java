package io.tidemark.pipeline.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.ConfigurationException;
import io.tidemark.pipeline.CheckpointSettings;
import io.tidemark.pipeline.PipelineContext;
import io.tidemark.pipeline.RestartStrategy;
import io.tidemark.pipeline.query.ChildJvm;
import io.tidemark.pipeline.query.LedgerProgram;
import io.tidemark.pipeline.queryable.QueryJson;
import io.tidemark.pipeline.runtime.JobRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared-memory view: a job publishes {@code sums} into Chronicle Map files while a second JVM reads them; every
 * read is consistent (also across a restart from a checkpoint), and after the job ended the published values equal the oracle's.
 */
class ShmViewTest {
    private static final long COUNT = 1_000_000;
    private static final int ACCOUNTS = 20;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aSecondJvmReadsPublishedValuesWhileTheJobRuns() throws Exception {
        Path shm = dir.resolve("shm");
        Path stop = dir.resolve("stop-reader");
        PipelineContext config = new PipelineContext()
                .stateDirectory(dir.resolve("state"))
                .defaultParallelism(2)
                .maxParallelism(32)
                .checkpointing(CheckpointSettings.defaults().withInterval(Duration.ofMillis(100)))
                .ringSize(256)
                .restartStrategy(RestartStrategy.fixedDelay(1, Duration.ofMillis(50)));
        JobRunner runner = new JobRunner(
                new LedgerProgram().build(config, COUNT + ",accounts=" + ACCOUNTS + ",rate=100000", null, 2),
                new JobRunner.Events() {
                    @Override
                    public void completed(long id, String location, long bytes, long durationMillis, long pause) {}

                    @Override
                    public void aborted(long id, String reason) {}
                });
        ShmPublisher publisher = ShmPublisher.start(shm, runner::queryTargets, 20);
        LedgerProgram.FAIL_COUNTDOWN.set(COUNT / 2);
        try (ChildJvm reader = ChildJvm.start(
                dir,
                ShmReaderMain.class.getName(),
                List.of(shm.toString(), String.valueOf(ACCOUNTS), stop.toString()))) {
            assertThat(reader.nextLine("READER_READY", 60_000))
                    .as(reader::transcript)
                    .isNotNull();
            JobRunner.Result result;
            try {
                result = runner.run(new JobRunner.RestoreMode.None());
            } finally {
                publisher.close();
                LedgerProgram.FAIL_COUNTDOWN.set(0);
            }
            assertThat(result.restarts()).isEqualTo(1);
            Files.createFile(stop);
            String reads = reader.nextLine("READS", 60_000);
            assertThat(reads).as(reader::transcript).isNotNull();
            System.out.println("SHM " + reads + " published=" + publisher.published());
            assertThat(reads).contains("torn=0");
            assertThat(reader.transcript()).contains("FIRST_FOUND");
            assertThat(reader.waitFor(60_000)).as(reader::transcript).isZero();
            for (int a = 0; a < ACCOUNTS; a++) {
                LedgerProgram.Sums expected = LedgerProgram.expected(COUNT, ACCOUNTS, a);
                String line = reader.transcript()
                        .lines()
                        .filter(l -> l.startsWith("FINAL "))
                        .filter(l -> l.split(" ")[1].equals(String.valueOf(0 + Integer.parseInt(l.split(" ")[1]))))
                        .toList()
                        .get(a);
                JsonNode v = QueryJson.MAPPER.readTree(line.substring(line.indexOf('{')));
                assertThat(new long[] {
                            v.get("count").asLong(),
                            v.get("volume").asLong(),
                            v.get("notional").asLong()
                        })
                        .as("account %d", a)
                        .containsExactly(expected.count(), expected.volume(), expected.notional());
            }
        }
        try (TidemarkStateReader reader = TidemarkStateReader.open(shm)) {
            assertThat(reader.hasState("nope")).isFalse();
            assertThat(reader.getJson("nope", "1")).isNull();
            assertThat(reader.getJson("sums", "no-such-account")).isNull();
            assertThat(reader.get("sums", "3").get("count").asLong())
                    .isEqualTo(LedgerProgram.expected(COUNT, ACCOUNTS, 3).count());
        }
        Files.writeString(shm.resolve("sums.meta.json"), "{\"format\":\"tidemark-shm-json\",\"version\":99}");
        try (TidemarkStateReader reader = TidemarkStateReader.open(shm)) {
            assertThatThrownBy(() -> reader.getBytes("sums", "3"))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("sums.meta.json")
                    .hasMessageContaining("version=99");
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("hs_err")))
                    .isEmpty();
        }
    }
}
