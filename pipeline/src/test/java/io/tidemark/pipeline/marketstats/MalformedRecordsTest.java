package io.tidemark.pipeline.marketstats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.pipeline.RestartStrategy;
import io.tidemark.pipeline.connectors.ErrorPolicy;
import io.tidemark.pipeline.connectors.MalformedRecordException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** docs/reliability.md I1: malformed records are routed by policy, never change state, never crash the job. */
class MalformedRecordsTest {
    private static final long SEED = Long.getLong("tidemark.test.seed", 11);
    private static final List<String> BAD = List.of(
            "",
            "1767225600000,AAAA,10.5",
            "1767225600000,AAAA,10.5,3,extra",
            "x767225600000,AAAA,10.5,3",
            "1767225600000,,10.5,3",
            "1767225600000,AAAA,10.12345,3",
            "1767225600000,AAAA,-1.0,3",
            "1767225600000,AAAA,1.,3",
            "1767225600000,AAAA,10.5,0",
            "1767225600000,AAAA,10.5,-4",
            "1767225600000,AAAA,10.5,99999999999999999999",
            "1767225600000,AAAA,99999999999999.9999,9999999");

    @TempDir
    Path dir;

    @Test
    void parserRejectsEveryMutationWithAReason() {
        for (String line : BAD) {
            assertThatThrownBy(() -> TradeCsv.parse(line))
                    .as(line)
                    .isInstanceOf(MalformedRecordException.class)
                    .hasMessageNotContaining(",");
        }
        assertThat(TradeCsv.parse("1767225600000,AAAA,10.5,3"))
                .isEqualTo(new Trade(1767225600000L, "AAAA", 105_000, 3));
        assertThat(TradeCsv.format(TradeCsv.parse("5,B,0.0001,1"))).isEqualTo("5,B,0.0001,1");
    }

    @Test
    void randomBytesOnlyEverRaiseTheMalformedError() {
        Random random = new Random(SEED);
        System.out.println("seed=" + SEED);
        for (int i = 0; i < 20_000; i++) {
            char[] chars = new char[random.nextInt(30)];
            for (int j = 0; j < chars.length; j++) {
                chars[j] = "0123456789,.-AZ \t".charAt(random.nextInt(17));
            }
            try {
                Trade t = TradeCsv.parse(new String(chars));
                assertThat(t.quantity()).isPositive();
                assertThat(t.priceTicks()).isNotNegative();
            } catch (MalformedRecordException expected) {
                // the only allowed failure
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void deadLetterAndSkipKeepTheOutputOfTheValidRecords() throws Exception {
        Path csv = writeInput();
        MarketStatsInput input = MarketStatsInput.parse(csv.toString());
        MarketStatsOracle.Expected expected = MarketStatsOracle.compute(input, 0);
        assertThat(expected.malformed()).isEqualTo(BAD.size() * 10L);

        Path deadLetterOut = dir.resolve("dl");
        MarketStatsHarness.run(
                MarketStatsHarness.config(dir.resolve("s1"), 2),
                input,
                deadLetterOut,
                ErrorPolicy.DEAD_LETTER,
                new AtomicLong(5_000));
        assertThat(MarketStatsOracle.committedLines(deadLetterOut)).isEqualTo(expected.lines());
        List<String> deadLetters = Files.readAllLines(deadLetterOut.resolve("dead-letter.csv"));
        assertThat(deadLetters).hasSize(BAD.size() * 10);
        assertThat(deadLetters.get(0)).matches("[0-9]+,[^,]+,.*");

        Path skipOut = dir.resolve("skip");
        MarketStatsHarness.run(MarketStatsHarness.config(dir.resolve("s2"), 1), input, skipOut, ErrorPolicy.SKIP, null);
        assertThat(MarketStatsOracle.committedLines(skipOut)).isEqualTo(expected.lines());
        assertThat(skipOut.resolve("dead-letter.csv")).doesNotExist();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void failPolicyFailsTheJobNamingTheRecord() throws Exception {
        Path csv = writeInput();
        MarketStatsInput input = MarketStatsInput.parse(csv.toString());
        assertThatThrownBy(() -> MarketStatsHarness.run(
                        MarketStatsHarness.config(dir.resolve("s3"), 1).restartStrategy(RestartStrategy.none()),
                        input,
                        dir.resolve("fail"),
                        ErrorPolicy.FAIL,
                        null))
                .hasMessageContaining("malformed record")
                .hasMessageContaining("offset=");
    }

    private Path writeInput() throws IOException {
        TradeGenerator generator = new TradeGenerator(SEED, 20);
        List<String> lines = new ArrayList<>();
        lines.add("ts_millis,symbol,price,qty");
        Random random = new Random(SEED);
        for (int i = 0; i < 30_000; i++) {
            lines.add(TradeCsv.format(generator.trade(i)));
            if (i % 1000 == 500) {
                for (int k = 0; k < 4; k++) {
                    lines.add(BAD.get(random.nextInt(BAD.size())));
                }
            }
        }
        // exactly BAD.size() * 10 malformed lines: top up deterministically
        long count = lines.stream()
                .filter(l -> {
                    try {
                        TradeCsv.parse(l);
                        return false;
                    } catch (MalformedRecordException e) {
                        return !l.startsWith("ts_millis");
                    }
                })
                .count();
        for (long i = count; i < BAD.size() * 10L; i++) {
            lines.add(BAD.get((int) (i % BAD.size())));
        }
        Path csv = dir.resolve("trades.csv");
        Files.write(csv, lines);
        return csv;
    }
}
