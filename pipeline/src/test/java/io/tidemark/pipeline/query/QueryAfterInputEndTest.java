package io.tidemark.pipeline.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.pipeline.cli.Launcher;
import io.tidemark.pipeline.marketstats.MarketStatsInput;
import io.tidemark.pipeline.marketstats.MarketStatsOracle;
import io.tidemark.pipeline.marketstats.TradeCsv;
import io.tidemark.pipeline.marketstats.TradeGenerator;
import io.tidemark.pipeline.queryable.QueryJson;
import java.io.BufferedWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * RELIABILITY.md Q1 for a job whose (file) input ends before anyone queries it: {@code tidemark run market-stats
 * --input <CSV> --port 0 --keep-running} with the {@code offheap} backend. Before the fix, after {@code FINISHED}
 * {@code GET /states} answered {@code {"running":false,"states":[]}} and every read 404 "no queryable state of that
 * name", because the query side learned the queryable states only from queries made while the job ran.
 */
class QueryAfterInputEndTest {
    private static final int TRADES = 50_000;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void afterTheInputEndedStatesAreListedLiveReadsAnswer503AndTheFinalCheckpointAnswers() throws Exception {
        Path csv = dir.resolve("trades.csv");
        TradeGenerator generator = new TradeGenerator(11, 8);
        try (BufferedWriter w = Files.newBufferedWriter(csv)) {
            for (int n = 0; n < TRADES; n++) {
                w.write(TradeCsv.format(generator.trade(n)));
                w.newLine();
            }
        }
        String symbol = generator.trade(0).symbol();
        List<String> run = List.of(
                "run",
                "market-stats",
                "--input",
                csv.toString(),
                "--output",
                dir.resolve("out").toString(),
                "--state-dir",
                dir.resolve("state").toString(),
                "--backend",
                "offheap",
                "--port",
                "0",
                "--keep-running");
        try (ChildJvm child = ChildJvm.start(dir, Launcher.class.getName(), run)) {
            String control = child.nextLine("CONTROL port=", 60_000);
            assertThat(control).as(child::transcript).isNotNull();
            String port = control.substring("CONTROL port=".length()).trim();
            int before = get(port, "/state/totals/" + symbol).statusCode();
            assertThat(before)
                    .as("before or while the job runs: a live value, absent, unknown yet, or 503")
                    .isIn(200, 404, 503);

            assertThat(child.nextLine("FINISHED serving", 120_000))
                    .as(child::transcript)
                    .isNotNull();
            HttpResponse<String> states = get(port, "/states");
            JsonNode body = QueryJson.MAPPER.readTree(states.body());
            assertThat(body.get("running").asBoolean()).isFalse();
            assertThat(body.get("states").findValuesAsText("name")).containsExactly("totals");

            HttpResponse<String> live = get(port, "/state/totals/" + symbol);
            assertThat(live.statusCode()).as(live.body()).isEqualTo(503);
            assertThat(live.body()).contains("at=checkpoint");

            HttpResponse<String> atCheckpoint = get(port, "/state/totals/" + symbol + "?at=checkpoint");
            assertThat(atCheckpoint.statusCode()).as(atCheckpoint.body()).isEqualTo(200);
            QueryChildJvmTest.Output cli = QueryChildJvmTest.query(port, symbol, true);
            assertThat(cli.exit()).as(cli.toString()).isZero();
            long expectedCount = 0;
            for (String line : MarketStatsOracle.compute(MarketStatsInput.parse(csv.toString()), 0)
                    .lines()) {
                String[] f = line.split(",");
                if (f[1].equals(symbol)) {
                    expectedCount += Long.parseLong(f[2]);
                }
            }
            assertThat(cli.json().get("count").asLong()).isEqualTo(expectedCount);
            assertThat(get(port, "/states").body())
                    .as("reads do not change what is listed")
                    .isEqualTo(states.body());

            assertThat(Launcher.execute("stop", "--port", port)).isZero();
            assertThat(child.waitFor(30_000)).as(child::transcript).isZero();
        }
    }

    private static HttpResponse<String> get(String port, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .GET()
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
