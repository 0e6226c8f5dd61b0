package io.tidemark.pipeline.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.pipeline.cli.Launcher;
import io.tidemark.pipeline.marketstats.MarketStatsInput;
import io.tidemark.pipeline.marketstats.MarketStatsOracle;
import io.tidemark.pipeline.marketstats.TradeGenerator;
import io.tidemark.pipeline.queryable.QueryJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tidemark run market-stats --keep-running --port 0} in a child JVM, queried with {@code tidemark query} while
 * it runs and, after its input ended, at its final checkpoint; then {@code tidemark stop}.
 */
class QueryChildJvmTest {
    private static final String INPUT = "gen:600000,symbols=10,seed=3,rate=150000";

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void queryARunningLauncherJobThenItsFinalCheckpoint() throws Exception {
        String symbol = new TradeGenerator(3, 10).trade(0).symbol();
        List<String> run = List.of(
                "run",
                "market-stats",
                "--input",
                INPUT,
                "--output",
                dir.resolve("out").toString(),
                "--state-dir",
                dir.resolve("state").toString(),
                "--backend",
                "heap",
                "--port",
                "0",
                "--keep-running",
                "--checkpoint-interval",
                "200ms");
        try (ChildJvm child = ChildJvm.start(dir, Launcher.class.getName(), run)) {
            String control = child.nextLine("CONTROL port=", 60_000);
            assertThat(control).as(child::transcript).isNotNull();
            String port = control.substring("CONTROL port=".length()).trim();
            assertThat(child.nextLine("CHECKPOINT_COMPLETED", 60_000))
                    .as(child::transcript)
                    .isNotNull();

            Output live = query(port, symbol, false);
            assertThat(live.exit()).as(live.toString()).isIn(0, 1);
            if (live.exit() == 0) {
                assertThat(live.json().has("notional_ticks")).isTrue();
            }

            assertThat(child.nextLine("FINISHED serving", 120_000))
                    .as(child::transcript)
                    .isNotNull();
            Output last = query(port, symbol, true);
            assertThat(last.exit()).as(last + "\n" + child.transcript()).isZero();
            long[] expected = new long[3];
            for (String line :
                    MarketStatsOracle.compute(MarketStatsInput.parse(INPUT), 0).lines()) {
                String[] f = line.split(",");
                if (f[1].equals(symbol)) {
                    expected[0] += Long.parseLong(f[2]);
                    expected[1] += Long.parseLong(f[3]);
                    expected[2] += Long.parseLong(f[4]);
                }
            }
            assertThat(new long[] {
                        last.json().get("count").asLong(),
                        last.json().get("volume").asLong(),
                        last.json().get("notional_ticks").asLong()
                    })
                    .as("totals of %s at the final checkpoint vs the oracle's windows", symbol)
                    .containsExactly(expected);
            assertThat(query(port, "NO-SUCH", true).exit()).isEqualTo(3);

            assertThat(Launcher.execute("stop", "--port", port)).isZero();
            assertThat(child.waitFor(30_000)).as(child::transcript).isZero();
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("hs_err")))
                    .isEmpty();
        }
    }

    record Output(int exit, String out, String err) {
        com.fasterxml.jackson.databind.JsonNode json() throws Exception {
            return QueryJson.MAPPER.readTree(out);
        }
    }

    static Output query(String port, String key, boolean atCheckpoint) {
        QueryCommand command = new QueryCommand();
        command.endpoint.port = Integer.parseInt(port);
        command.state = "totals";
        command.key = key;
        command.atCheckpoint = atCheckpoint;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = command.run(
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Output(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
