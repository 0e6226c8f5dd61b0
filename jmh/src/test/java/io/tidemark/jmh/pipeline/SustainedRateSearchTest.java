package io.tidemark.jmh.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SustainedRateSearchTest {
    private static RunResult run(long offered, double achieved) {
        return new RunResult(
                "counter",
                offered,
                Duration.ofSeconds(1),
                achieved,
                0,
                -1,
                -1,
                -1,
                -1,
                0,
                0,
                0,
                0,
                0,
                new double[] {-1, -1, -1},
                new GcTotals(0, 0),
                "n/a",
                "n/a");
    }

    @Test
    void roundsDownToTwoSignificantDigits() {
        assertThat(SustainedRateSearch.roundDown(2_789_261)).isEqualTo(2_700_000);
        assertThat(SustainedRateSearch.roundDown(618_184.8)).isEqualTo(610_000);
        assertThat(SustainedRateSearch.roundDown(99)).isEqualTo(99);
        assertThat(SustainedRateSearch.roundDown(7)).isEqualTo(7);
    }

    @Test
    void offersLessUntilARunIsSustained() throws Exception {
        List<Long> offered = new ArrayList<>();
        RunResult found = SustainedRateSearch.search(run(0, 2_000_000), (rate, interval) -> {
            offered.add(rate);
            return run(rate, Math.min(rate, 900_000));
        });

        assertThat(offered).containsExactly(1_800_000L, 1_500_000L, 1_200_000L, 1_000_000L, 850_000L);
        assertThat(found.offered()).isEqualTo(850_000);
    }

    @Test
    void givesUpAfterMaxTries() throws Exception {
        List<Long> offered = new ArrayList<>();
        RunResult found = SustainedRateSearch.search(run(0, 2_000_000), (rate, interval) -> {
            offered.add(rate);
            return run(rate, 0);
        });

        assertThat(found).isNull();
        assertThat(offered).hasSize(SustainedRateSearch.MAX_TRIES);
    }
}
