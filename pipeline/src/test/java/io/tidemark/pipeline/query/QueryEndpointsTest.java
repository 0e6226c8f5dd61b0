package io.tidemark.pipeline.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.pipeline.CheckpointSettings;
import io.tidemark.pipeline.Pipeline;
import io.tidemark.pipeline.PipelineContext;
import io.tidemark.pipeline.RestartStrategy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP read endpoints against a pipeline running in process, through java.net.http. */
class QueryEndpointsTest {
    private static final long COUNT = 400_000;
    private static final long ACCOUNTS = 20;

    @TempDir
    Path dir;

    static PipelineContext config(Path dir, String backend) {
        return new PipelineContext()
                .stateDirectory(dir.resolve("state"))
                .defaultParallelism(2)
                .maxParallelism(32)
                .backend(backend)
                .checkpointing(CheckpointSettings.defaults().withInterval(Duration.ofMillis(100)))
                .ringSize(256)
                .restartStrategy(RestartStrategy.fixedDelay(3, Duration.ofMillis(50)));
    }

    static Pipeline ledger(PipelineContext config, long count, long rate) {
        return new LedgerProgram().build(config, count + ",accounts=" + ACCOUNTS + ",rate=" + rate, null, 2);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void pointQueriesAnswerLiveValuesAndNameTheirErrors() throws Exception {
        try (RunningJob job = RunningJob.start(ledger(config(dir, "heap"), COUNT, 100_000))) {
            assertThat(job.ready.await(60, TimeUnit.SECONDS)).isTrue();
            RunningJob.Answer value = awaitValue(job, "/state/sums/3");
            assertThat(value.status()).as(value.toString()).isEqualTo(200);
            assertThat(LedgerProgram.consistent(
                            3,
                            value.body().get("count").asLong(),
                            value.body().get("volume").asLong(),
                            value.body().get("notional").asLong()))
                    .as(value.toString())
                    .isTrue();

            RunningJob.Answer badKey = job.get("/state/sums/abc");
            assertThat(badKey.status()).isEqualTo(400);
            assertThat(badKey.body().get("message").asText())
                    .contains("key=abc")
                    .contains("long");

            RunningJob.Answer absent = job.get("/state/sums/" + (ACCOUNTS + 5));
            assertThat(absent.status()).isEqualTo(404);
            assertThat(absent.body().get("error").asText()).isEqualTo("key_not_found");

            RunningJob.Answer noState = job.get("/state/nope/1");
            assertThat(noState.status()).isEqualTo(404);
            assertThat(noState.body().get("error").asText()).isEqualTo("state_not_found");

            RunningJob.Answer states = job.get("/states");
            assertThat(states.status()).isEqualTo(200);
            JsonNode sums = states.body().get("states").get(0);
            assertThat(sums.get("name").asText()).isEqualTo("sums");
            assertThat(sums.get("operator").asText()).isEqualTo("ledger");
            assertThat(sums.get("key_type").asText()).isEqualTo("long");

            RunningJob.Answer health = job.get("/health");
            assertThat(health.body().get("status").asText()).isEqualTo("running");

            while (job.checkpoints.get() < 2) {
                Thread.onSpinWait();
            }
            RunningJob.Answer checkpoints = job.get("/checkpoints");
            assertThat(checkpoints.body().get("checkpoints").size()).isGreaterThanOrEqualTo(1);
            JsonNode first = checkpoints.body().get("checkpoints").get(0);
            assertThat(first.get("status").asText()).isEqualTo("COMPLETED");
            assertThat(first.has("sync_pause_us")).isTrue();
            assertThat(first.get("bytes").asLong()).isPositive();
            assertThat(first.has("incremental_bytes")).isTrue();

            RunningJob.Answer atCheckpoint = job.get("/state/sums/3?at=checkpoint");
            assertThat(atCheckpoint.status()).as(atCheckpoint.toString()).isEqualTo(200);
            assertThat(atCheckpoint.checkpoint()).isNotNull();
            assertThat(LedgerProgram.consistent(
                            3,
                            atCheckpoint.body().get("count").asLong(),
                            atCheckpoint.body().get("volume").asLong(),
                            atCheckpoint.body().get("notional").asLong()))
                    .isTrue();
        }
    }

    static RunningJob.Answer awaitValue(RunningJob job, String path) throws Exception {
        RunningJob.Answer answer = job.get(path);
        while (answer.status() != 200) {
            assertThat(answer.status()).as(answer.toString()).isIn(404, 503);
            answer = job.get(path);
        }
        return answer;
    }
}
