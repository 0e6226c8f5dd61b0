package io.tidemark.jmh.pipeline;

import java.time.Duration;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The figures of one run. Latencies in ns, -1 where not measured or not enough samples.
 *
 * @param offered records per second offered, 0 for unpaced (max)
 * @param checkpointInterval the configured interval; {@link LatencyOptions#NO_CHECKPOINTS} for none
 * @param achieved records per second over the measured window
 * @param samples latencies recorded
 * @param checkpointsInWindow checkpoints completed during the measured window
 * @param checkpointsTotal checkpoints completed during the whole run (warm-up and the final one included)
 * @param aborted checkpoints aborted during the run
 * @param maxSyncPauseNanos the longest synchronous pause of the checkpoints in the window
 * @param records records the source emitted
 * @param allocatedPerRecord bytes allocated per measured record on the source, keyed and sink threads (the highest
 *     instance of each), -1 where not measured
 * @param gc garbage collections during the whole run (warm-up and the job's start and end included)
 */
record RunResult(
        String job,
        long offered,
        Duration checkpointInterval,
        double achieved,
        long samples,
        long p50,
        long p99,
        long p999,
        long max,
        int checkpointsInWindow,
        int checkpointsTotal,
        int aborted,
        long maxSyncPauseNanos,
        long records,
        double[] allocatedPerRecord,
        GcTotals gc,
        String load1Start,
        String load1End) {
    /** Samples below which a p99 (and ten times as many for a p99.9) is not reported. */
    static final long MIN_SAMPLES_P99 = 1_000;

    static final String HEADER =
            "label\tjob\tofferedPerSec\tcheckpointMs\tparallelism\tsources\tworkers\tidle\tkeysOrSymbols\tbackend\tseconds"
                    + "\twarmupSeconds\tachievedPerSec\tsustained\tsamples\tp50us\tp99us\tp999us\tmaxUs\tcheckpointsInWindow"
                    + "\tcheckpointsTotal\tcheckpointsAborted\tmaxSyncPauseUs\trecords\tsourceAllocBytesPerRecord"
                    + "\tkeyedAllocBytesPerRecord\tsinkAllocBytesPerRecord\tgcCount\tgcMillis\tload1Start\tload1End";

    /** Percentiles of {@code latency}, -1 for those with too few samples. */
    static long[] percentiles(Histogram latency) {
        long n = latency.getTotalCount();
        return new long[] {
            n == 0 ? -1 : latency.getValueAtPercentile(50.0),
            n < MIN_SAMPLES_P99 ? -1 : latency.getValueAtPercentile(99.0),
            n < 10 * MIN_SAMPLES_P99 ? -1 : latency.getValueAtPercentile(99.9),
            n == 0 ? -1 : latency.getMaxValue()
        };
    }

    boolean checkpointed() {
        return !checkpointInterval.equals(LatencyOptions.NO_CHECKPOINTS);
    }

    /** True when at least 99% of the offered rate was achieved; false for unpaced runs. */
    boolean isSustained() {
        return offered > 0 && achieved >= 0.99 * offered;
    }

    /** "yes" when at least 99% of the offered rate was achieved, "no" when not, "-" when unpaced. */
    String sustained() {
        if (offered == 0) {
            return "-";
        }
        return isSustained() ? "yes" : "no";
    }

    String summary() {
        String latency = samples == 0
                ? "latency not measured"
                : String.format(
                        Locale.ROOT,
                        "latency us p50=%s p99=%s p99.9=%s max=%s samples=%d",
                        micros(p50),
                        micros(p99),
                        micros(p999),
                        micros(max),
                        samples);
        return String.format(
                Locale.ROOT,
                "%s offered=%s checkpoints=%s: achieved=%.0f/s sustained=%s %s | checkpoints completed %d in window"
                        + " (%d in run, %d aborted, max sync pause %.0f us), records %d, allocated B/record on"
                        + " source/keyed/sink threads %s/%s/%s, gc %d collections %d ms in run",
                job,
                offered == 0 ? "max" : offered + "/s",
                checkpointed() ? checkpointInterval.toMillis() + "ms" : "none",
                achieved,
                sustained(),
                latency,
                checkpointsInWindow,
                checkpointsTotal,
                aborted,
                maxSyncPauseNanos / 1e3,
                records,
                bytes(allocatedPerRecord[0]),
                bytes(allocatedPerRecord[1]),
                bytes(allocatedPerRecord[2]),
                gc.count(),
                gc.millis());
    }

    String line(LatencyOptions options) {
        return String.join(
                "\t",
                options.label(),
                job,
                offered == 0 ? "max" : Long.toString(offered),
                checkpointed() ? Long.toString(checkpointInterval.toMillis()) : "none",
                Integer.toString(options.parallelism()),
                Integer.toString(job.equals(LatencyOptions.MARKET_STATS) ? 1 : options.sources()),
                Integer.toString(options.workers()),
                options.idle().label(),
                Long.toString(job.equals(LatencyOptions.MARKET_STATS) ? options.symbols() : options.keys()),
                options.backend(),
                Integer.toString(options.seconds()),
                Integer.toString(options.warmupSeconds()),
                String.format(Locale.ROOT, "%.0f", achieved),
                sustained(),
                Long.toString(samples),
                micros(p50),
                micros(p99),
                micros(p999),
                micros(max),
                Integer.toString(checkpointsInWindow),
                Integer.toString(checkpointsTotal),
                Integer.toString(aborted),
                String.format(Locale.ROOT, "%.0f", maxSyncPauseNanos / 1e3),
                Long.toString(records),
                bytes(allocatedPerRecord[0]),
                bytes(allocatedPerRecord[1]),
                bytes(allocatedPerRecord[2]),
                Long.toString(gc.count()),
                Long.toString(gc.millis()),
                load1Start,
                load1End);
    }

    private static String bytes(double perRecord) {
        return perRecord < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", perRecord);
    }

    private static String micros(long nanos) {
        return nanos < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", nanos / 1e3);
    }
}
