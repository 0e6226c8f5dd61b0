package io.tidemark.pipeline.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.pipeline.query.AuthToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /status.json} and the page's files against the market-stats job running in process. */
class StatusJsonTest {
    private static final String TOKEN = "status-test-token-0123456789";

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void statusJsonDescribesTheRunningJob() throws Exception {
        try (StatusJob job = StatusJob.start(dir, 0, null)) {
            JsonNode s = awaitStatus(job, null);

            JsonNode operators = s.get("operators");
            assertThat(operators).hasSize(3);
            JsonNode trades = operators.get(0);
            JsonNode windows = operators.get(1);
            JsonNode output = operators.get(2);
            assertThat(trades.get("name").asText()).isEqualTo("trades");
            assertThat(trades.get("source").asBoolean()).isTrue();
            assertThat(windows.get("name").asText()).isEqualTo("window-stats");
            assertThat(windows.get("parallelism").asInt()).isEqualTo(2);
            assertThat(windows.get("keyed").asBoolean()).isTrue();
            assertThat(output.get("records_out").isNull())
                    .as("a sink emits nothing")
                    .isTrue();
            // the source is paced: its measured rate must be near the pace
            assertThat(trades.get("rate_in_per_s").asDouble())
                    .as(trades.toString())
                    .isBetween(0.5 * StatusJob.RATE, 1.5 * StatusJob.RATE);
            assertThat(windows.get("rate_in_per_s").asDouble())
                    .as(windows.toString())
                    .isPositive();
            assertThat(trades.get("records_in").asLong()).isPositive();

            JsonNode keyBy = s.get("edges").get(0);
            assertThat(keyBy.get("from").asInt()).isEqualTo(0);
            assertThat(keyBy.get("to").asInt()).isEqualTo(1);
            assertThat(keyBy.get("partitioning").asText()).isEqualTo("key_groups");
            assertThat(keyBy.get("chained").asBoolean()).isFalse();
            assertThat(keyBy.get("ring_size").asInt()).isEqualTo(1024);
            assertThat(keyBy.get("backlog").isIntegralNumber())
                    .as(keyBy.toString())
                    .isTrue();
            assertThat(keyBy.get("backpressure").asDouble()).isBetween(0.0, 1.0);
            JsonNode chained = s.get("edges").get(1);
            assertThat(chained.get("chained").asBoolean()).isTrue();
            assertThat(chained.get("backlog").isNull())
                    .as("a chained edge has no ring")
                    .isTrue();

            JsonNode series = s.get("series");
            int samples = series.get("time_ms").size();
            assertThat(samples).isGreaterThanOrEqualTo(3);
            assertThat(series.get("rate_in_per_s").get("trades")).hasSize(samples);
            assertThat(series.get("latency_us").get("p99")).hasSize(samples);
            JsonNode inputLatency = series.get("input_latency_p99_us");
            assertThat(inputLatency.has("window-stats"))
                    .as(inputLatency.toString())
                    .isTrue();
            assertThat(inputLatency.has("output"))
                    .as("chained: no ring, no input latency")
                    .isFalse();
            boolean measured = false;
            for (JsonNode p99 : inputLatency.get("window-stats")) {
                measured |= p99.isNumber() && p99.asDouble() > 0;
            }
            assertThat(measured).as(inputLatency.toString()).isTrue();
            assertThat(series.get("backpressure").get("trades -> window-stats")).hasSize(samples);
            assertThat(series.get("backpressure").has("window-stats -> output"))
                    .as("a chained edge has no ring to fill")
                    .isFalse();

            JsonNode checkpoint = s.get("checkpoints").get(0);
            assertThat(checkpoint.get("status").asText()).isEqualTo("COMPLETED");
            assertThat(checkpoint.get("bytes").asLong()).isPositive();
            assertThat(checkpoint.get("duration_ms").isIntegralNumber()).isTrue();
            assertThat(checkpoint.get("sync_pause_us").isIntegralNumber()).isTrue();

            JsonNode state = s.get("state");
            assertThat(state.get("operators")).hasSize(1);
            assertThat(state.get("operators").get(0).get("name").asText()).isEqualTo("window-stats");
            assertThat(state.get("operators").get(0).get("resident_bytes").asLong())
                    .as("the offheap backends' frames and index")
                    .isPositive();
            assertThat(state.get("operators").get(0).get("spilled_bytes").asLong())
                    .as("32 MiB per instance holds 500 symbols")
                    .isZero();
            assertThat(s.get("restarts").asLong()).isZero();
            assertThat(s.get("sampler_error").isNull())
                    .as(s.get("sampler_error").toString())
                    .isTrue();

            StatusJob.Answer page = job.get("/", null);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.type()).startsWith("text/html");
            assertThat(page.body()).contains("<script src=\"status.js\">");
            assertThat(job.get("/status.js", null).type()).startsWith("text/javascript");
            assertThat(job.get("/status.css", null).type()).startsWith("text/css");
            assertThat(job.get("/no-such-page", null).status()).isEqualTo(404);
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void theTokenGuardsTheFiguresButNotThePageFiles() throws Exception {
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, TOKEN + "\n");
        try (StatusJob job = StatusJob.start(dir, 0, AuthToken.read(tokenFile))) {
            assertThat(job.get("/status.json", null).status()).isEqualTo(401);
            assertThat(job.get("/status.json", "wrong-token-0123456789").status())
                    .isEqualTo(401);
            StatusJob.Answer figures = job.get("/status.json", TOKEN);
            assertThat(figures.status()).isEqualTo(200);
            assertThat(figures.json().get("operators")).hasSize(3);
            assertThat(job.get("/", null).status()).isEqualTo(200);
            assertThat(job.get("/status.js", null).status()).isEqualTo(200);
        }
    }

    /**
     * Polls until three samples were taken, every operator has a rate, a sink latency was sampled and a checkpoint
     * completed with its incremental size known.
     */
    static JsonNode awaitStatus(StatusJob job, String token) throws Exception {
        while (true) {
            StatusJob.Answer answer = job.get("/status.json", token);
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            JsonNode s = answer.json();
            if (ready(s)) {
                return s;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
    }

    private static boolean ready(JsonNode s) {
        if (s.get("series").get("time_ms").size() < 3) {
            return false;
        }
        for (JsonNode operator : s.get("operators")) {
            if (operator.get("rate_in_per_s").isNull()) {
                return false;
            }
        }
        boolean latency = false;
        for (JsonNode p99 : s.get("series").get("latency_us").get("p99")) {
            latency |= !p99.isNull();
        }
        JsonNode checkpoints = s.get("checkpoints");
        return latency
                && !checkpoints.isEmpty()
                && !checkpoints.get(0).get("incremental_bytes").isNull();
    }
}
