package io.tidemark.jmh.pipeline;

import java.time.Duration;
import java.util.Locale;

/**
 * Finds the maximum sustained rate of the counter job: from the unpaced throughput T (a {@code max} run of the same
 * invocation and checkpoint setting, or one run for the purpose), offer 0.9 × T rounded down to two significant
 * digits, then 15% less each time, until a run is sustained (achieved ≥ 99% of offered) or {@value #MAX_TRIES} runs
 * failed. Every run is reported like any other; the found rate's run is the "maximum sustained rate" line. Cold path.
 */
final class SustainedRateSearch {
    static final int MAX_TRIES = 6;
    private static final double FIRST = 0.9;
    private static final double STEP = 0.85;

    private SustainedRateSearch() {}

    /** The run at the highest offered rate found sustained, or {@code null} if none of the tries was. */
    static RunResult search(RunResult unpaced, RateRunner runs) throws Exception {
        long rate = roundDown(unpaced.achieved() * FIRST);
        for (int i = 0; i < MAX_TRIES && rate > 0; i++) {
            RunResult result = runs.run(rate, unpaced.checkpointInterval());
            if (result.isSustained()) {
                return result;
            }
            rate = roundDown(rate * STEP);
        }
        return null;
    }

    /** {@code rate} rounded down to two significant digits: 2,789,261 → 2,700,000. */
    static long roundDown(double rate) {
        if (rate < 10) {
            return (long) rate;
        }
        long unit = (long) Math.pow(10, (long) Math.log10(rate) - 1);
        return (long) (rate / unit) * unit;
    }

    static String describe(RunResult found) {
        return String.format(
                Locale.ROOT,
                "maximum sustained rate %d/s (checkpoints %s)",
                found.offered(),
                found.checkpointed() ? found.checkpointInterval().toMillis() + "ms" : "none");
    }

    /** Runs one offered rate and reports it. */
    interface RateRunner {
        RunResult run(long rate, Duration checkpointInterval) throws Exception;
    }
}
