package io.tidemark.pipeline.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.pipeline.cli.Launcher;
import io.tidemark.pipeline.connectors.ErrorPolicy;
import io.tidemark.pipeline.marketstats.MarketStatsInput;
import io.tidemark.pipeline.marketstats.MarketStatsJob;
import io.tidemark.pipeline.marketstats.TradeGenerator;
import io.tidemark.pipeline.queryable.QueryJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code tidemark query} against market-stats running in process: JSON on stdout and the exit codes. */
class QueryCommandTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void queryPrintsTotalsAndMapsAbsentAndErrorsToExitCodes() throws Exception {
        MarketStatsInput input = MarketStatsInput.parse("gen:400000,symbols=10,seed=7,rate=100000");
        String symbol = new TradeGenerator(7, 10).trade(0).symbol();
        var config = QueryEndpointsTest.config(dir, "offheap");
        var pipeline = MarketStatsJob.build(
                config, new MarketStatsJob.Options(input, dir.resolve("out"), 2, 0, ErrorPolicy.DEAD_LETTER, null));
        try (RunningJob job = RunningJob.start(pipeline)) {
            assertThat(job.ready.await(60, TimeUnit.SECONDS)).isTrue();
            QueryEndpointsTest.awaitValue(job, "/state/totals/" + symbol);
            String port = String.valueOf(job.port());

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            QueryCommand command = new QueryCommand();
            command.endpoint.port = job.port();
            command.state = "totals";
            command.key = symbol;
            int exit = command.run(
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(QueryCommand.EXIT_FOUND);
            var totals = QueryJson.MAPPER.readTree(out.toString(StandardCharsets.UTF_8));
            assertThat(totals.fieldNames()).toIterable().containsExactly("count", "volume", "notional_ticks");
            assertThat(totals.get("count").asLong()).isPositive();

            assertThat(Launcher.execute("query", "--port", port, "--state", "totals", "--key", symbol))
                    .isEqualTo(0);
            assertThat(Launcher.execute("query", "--port", port, "--state", "totals", "--key", "NO-SUCH-SYMBOL"))
                    .isEqualTo(3);
            assertThat(Launcher.execute("query", "--port", port, "--state", "nope", "--key", symbol))
                    .isEqualTo(1);
            assertThat(Launcher.execute("query", "--port", port, "--state", "totals"))
                    .isEqualTo(2);
            int closedPort;
            try (ServerSocket s = new ServerSocket(0)) {
                closedPort = s.getLocalPort();
            }
            assertThat(Launcher.execute(
                            "query", "--port", String.valueOf(closedPort), "--state", "totals", "--key", symbol))
                    .isEqualTo(1);
        }
    }
}
