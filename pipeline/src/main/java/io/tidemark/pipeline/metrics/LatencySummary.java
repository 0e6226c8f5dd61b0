package io.tidemark.pipeline.metrics;

import io.prometheus.metrics.core.metrics.SummaryWithCallback;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import org.HdrHistogram.Histogram;

/**
 * Reports an HdrHistogram of nanoseconds as one Prometheus summary data point in seconds: quantiles 0.5, 0.99 and
 * 0.999, the count of recorded values and their sum (mean times count: within the histogram's three significant
 * digits). Scrape threads only; allocates.
 */
public final class LatencySummary {
    private static final double[] QUANTILES = {0.5, 0.99, 0.999};
    private static final double NANOS_PER_SECOND = 1e9;

    private LatencySummary() {}

    /** Calls {@code callback} once with {@code nanos} in seconds under the given label values. */
    public static void report(SummaryWithCallback.Callback callback, Histogram nanos, String... labelValues) {
        long count = nanos.getTotalCount();
        Quantile[] quantiles = new Quantile[QUANTILES.length];
        for (int i = 0; i < QUANTILES.length; i++) {
            double value = count == 0 ? 0.0 : nanos.getValueAtPercentile(QUANTILES[i] * 100) / NANOS_PER_SECOND;
            quantiles[i] = new Quantile(QUANTILES[i], value);
        }
        double sum = count == 0 ? 0.0 : nanos.getMean() * count / NANOS_PER_SECOND;
        callback.call(count, sum, Quantiles.of(quantiles), labelValues);
    }
}
