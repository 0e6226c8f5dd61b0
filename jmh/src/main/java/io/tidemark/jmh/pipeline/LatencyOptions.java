package io.tidemark.jmh.pipeline;

import io.tidemark.ConfigurationException;
import io.tidemark.jmh.CommandLine;
import io.tidemark.pipeline.CheckpointSettings;
import io.tidemark.pipeline.IdleMode;
import io.tidemark.pipeline.PipelineContext;
import io.tidemark.pipeline.RestartStrategy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Command line of {@link PipelineLatency}: {@code name=value} pairs, every one optional. Cold path.
 *
 * @param job {@code counter} (default) or {@code market-stats}
 * @param rates offered loads in records per second, each run on its own in a fresh state directory; {@code max} (0
 *     here) is unpaced; {@code sustained} ({@link #SUSTAINED} here) searches the maximum sustained rate (see
 *     {@link SustainedRateSearch}); {@code k} and {@code M} suffixes accepted (default
 *     {@code 100000,1000000,sustained})
 * @param checkpoints checkpoint intervals, each combined with every rate: a duration ({@code 1s}, {@code 500ms}) or
 *     {@code none} (default {@code 1s}); {@code 1s,none} runs each rate with and without checkpoints back to back and
 *     prints the throughput ratio
 * @param seconds measured seconds per run (default 10)
 * @param warmupSeconds seconds before them whose records are not measured (default 5)
 * @param keys distinct {@code long} keys of the counter job (default 1,000,000)
 * @param seed of the counter job's keys and of market-stats' trades (default 42)
 * @param symbols market-stats' distinct symbols (default 1000)
 * @param parallelism instances of the keyed operator and of the sink (default: {@code workers})
 * @param sources instances of the counter job's source, which split its schedule (default: {@code parallelism});
 *     market-stats' source has one
 * @param workers the pipeline's worker threads (default: the available processors)
 * @param idle the workers' idle strategy, {@code busy-spin}, {@code yield} or {@code backoff} (default, the
 *     pipeline's default)
 * @param backend the keyed state backend (default {@code offheap})
 * @param ringSize slots of each edge's ring, 0 for the pipeline's default (default 0)
 * @param label a name for the results' lines (default the job)
 * @param out file the tab-separated result lines are appended to (default {@code pipeline-latency.tsv})
 */
record LatencyOptions(
        String job,
        List<Long> rates,
        List<Duration> checkpoints,
        int seconds,
        int warmupSeconds,
        long keys,
        long seed,
        int symbols,
        int parallelism,
        int sources,
        int workers,
        IdleMode idle,
        String backend,
        int ringSize,
        String label,
        Path out) {
    static final String COUNTER = "counter";
    static final String MARKET_STATS = "market-stats";

    /** The rate that stands for unpaced: as fast as the pipeline takes records. */
    static final long MAX = 0;

    /** The rate that stands for a search of the maximum sustained rate. */
    static final long SUSTAINED = -1;

    /**
     * The interval that stands for "no checkpoints": the coordinator takes its first checkpoint as the job starts
     * (within the warm-up), and a bounded job takes a final one after its input ended; none in the measured window.
     */
    static final Duration NO_CHECKPOINTS = Duration.ofDays(365);

    /**
     * Records a paced run may offer: record {@code i}'s intended time is {@code i * 1e9 / rate} ns after the start, in a
     * {@code long}.
     */
    static final long MAX_RECORDS_PER_RUN = Long.MAX_VALUE / 1_000_000_000L;

    private static final Set<String> NAMES = Set.of(
            "job",
            "rates",
            "checkpoints",
            "seconds",
            "warmupSeconds",
            "keys",
            "seed",
            "symbols",
            "parallelism",
            "sources",
            "workers",
            "idle",
            "backend",
            "ringSize",
            "label",
            "out");

    static LatencyOptions parse(String[] args) {
        Map<String, String> given = CommandLine.options(args, NAMES);
        String job = given.getOrDefault("job", COUNTER);
        int workers = Integer.parseInt(given.getOrDefault(
                "workers", Integer.toString(Runtime.getRuntime().availableProcessors())));
        int parallelism = Integer.parseInt(given.getOrDefault("parallelism", Integer.toString(workers)));
        LatencyOptions options = new LatencyOptions(
                job,
                rates(given.getOrDefault("rates", "100000,1000000,sustained")),
                intervals(given.getOrDefault("checkpoints", "1s")),
                Integer.parseInt(given.getOrDefault("seconds", "10")),
                Integer.parseInt(given.getOrDefault("warmupSeconds", "5")),
                count(given.getOrDefault("keys", "1000000")),
                Long.parseLong(given.getOrDefault("seed", "42")),
                Integer.parseInt(given.getOrDefault("symbols", "1000")),
                parallelism,
                Integer.parseInt(given.getOrDefault("sources", Integer.toString(parallelism))),
                workers,
                IdleMode.parse(given.getOrDefault("idle", IdleMode.BACKOFF.label())),
                given.getOrDefault("backend", "offheap"),
                Integer.parseInt(given.getOrDefault("ringSize", "0")),
                given.getOrDefault("label", job),
                Path.of(given.getOrDefault("out", "pipeline-latency.tsv")));
        return options.check();
    }

    long warmupNanos() {
        return warmupSeconds * 1_000_000_000L;
    }

    long measureNanos() {
        return seconds * 1_000_000_000L;
    }

    /** A fresh context for one run in {@code stateDirectory}: no restart (a failed run is reported, not repeated). */
    PipelineContext context(Path stateDirectory, Duration checkpointInterval) {
        PipelineContext context = new PipelineContext()
                .stateDirectory(stateDirectory)
                .defaultParallelism(parallelism)
                .workers(workers)
                .idleMode(idle)
                .backend(backend)
                .checkpointing(CheckpointSettings.defaults().withInterval(checkpointInterval))
                .restartStrategy(RestartStrategy.none());
        if (ringSize > 0) {
            context.ringSize(ringSize);
        }
        return context;
    }

    /** The options as {@code name=value} arguments that repeat this run. */
    String commandLine() {
        List<String> rateNames = new ArrayList<>();
        for (long rate : rates) {
            rateNames.add(rate == MAX ? "max" : rate == SUSTAINED ? "sustained" : Long.toString(rate));
        }
        List<String> intervalNames = new ArrayList<>();
        for (Duration interval : checkpoints) {
            intervalNames.add(interval.equals(NO_CHECKPOINTS) ? "none" : interval.toMillis() + "ms");
        }
        return "job=" + job + " rates=" + String.join(",", rateNames) + " checkpoints="
                + String.join(",", intervalNames)
                + " seconds=" + seconds + " warmupSeconds=" + warmupSeconds + " keys=" + keys + " seed=" + seed
                + " symbols=" + symbols + " parallelism=" + parallelism + " sources=" + sources + " workers=" + workers
                + " idle=" + idle + " backend=" + backend + " ringSize=" + ringSize + " label=" + label + " out=" + out;
    }

    private LatencyOptions check() {
        for (long rate : rates) {
            if (rate > 0 && (long) warmupSeconds + seconds > MAX_RECORDS_PER_RUN / rate) {
                throw new ConfigurationException("run too long for its rate: rate=" + rate + ", seconds=" + seconds
                        + ", warmupSeconds=" + warmupSeconds + ", allowed=(seconds + warmupSeconds) x rate <= "
                        + MAX_RECORDS_PER_RUN);
            }
        }
        if (job.equals(MARKET_STATS) && rates.contains(SUSTAINED)) {
            throw new ConfigurationException(
                    "rate not supported: job=market-stats, rates=sustained, allowed=records per second or max");
        }
        if (!job.equals(COUNTER) && !job.equals(MARKET_STATS)) {
            throw new ConfigurationException("unknown job: job=" + job + ", allowed=[counter, market-stats]");
        }
        if (seconds <= 0
                || warmupSeconds < 0
                || keys <= 0
                || parallelism <= 0
                || sources <= 0
                || workers <= 0
                || symbols <= 0
                || ringSize < 0) {
            throw new ConfigurationException("out of range: seconds=" + seconds + " (> 0), warmupSeconds="
                    + warmupSeconds + " (>= 0), keys=" + keys + " (> 0), parallelism=" + parallelism
                    + " (> 0), sources=" + sources + " (> 0), workers=" + workers + " (> 0), symbols=" + symbols
                    + " (> 0), ringSize=" + ringSize + " (>= 0)");
        }
        return this;
    }

    private static List<Long> rates(String value) {
        List<Long> rates = new ArrayList<>();
        for (String rate : value.split(",")) {
            String t = rate.trim().toLowerCase(Locale.ROOT);
            long parsed = t.equals("max") ? MAX : t.equals("sustained") ? SUSTAINED : count(t);
            if (parsed <= 0 && !t.equals("max") && !t.equals("sustained")) {
                throw new ConfigurationException(
                        "rate out of range: rate=" + rate + ", allowed=records per second > 0, max or sustained");
            }
            rates.add(parsed);
        }
        return List.copyOf(rates);
    }

    private static List<Duration> intervals(String value) {
        List<Duration> intervals = new ArrayList<>();
        for (String interval : value.split(",")) {
            String t = interval.trim().toLowerCase(Locale.ROOT);
            Duration parsed;
            try {
                if (t.equals("none")) {
                    parsed = NO_CHECKPOINTS;
                } else if (t.endsWith("ms")) {
                    parsed = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
                } else if (t.endsWith("s")) {
                    parsed = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
                } else {
                    throw new NumberFormatException(t);
                }
            } catch (NumberFormatException e) {
                throw new ConfigurationException("checkpoint interval invalid: checkpoints=" + interval
                        + ", allowed=a duration (1s, 500ms) or none");
            }
            if (parsed.compareTo(PipelineContext.MIN_CHECKPOINT_INTERVAL) < 0) {
                throw new ConfigurationException(
                        "checkpoint interval out of range: checkpoints=" + interval + ", allowed=>= 10ms, or none");
            }
            intervals.add(parsed);
        }
        return List.copyOf(intervals);
    }

    /** Accepts 1000000, 1M, 100k. */
    private static long count(String value) {
        String t = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("m")) {
                return Long.parseLong(t.substring(0, t.length() - 1)) * 1_000_000L;
            }
            if (t.endsWith("k")) {
                return Long.parseLong(t.substring(0, t.length() - 1)) * 1_000L;
            }
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new ConfigurationException("not a count: value=" + value + ", allowed=N, Nk or NM");
        }
    }
}
