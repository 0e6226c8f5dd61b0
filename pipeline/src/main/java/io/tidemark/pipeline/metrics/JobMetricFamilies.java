package io.tidemark.pipeline.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.SummaryWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.List;

/**
 * The job's metric families, registered once per job on its registry as callbacks: each scrape reads the figures of
 * {@link JobMetrics} and the racy counters of the live attempt's {@link TaskMetrics} (plain longs the operator threads
 * write; the operators never call the client library). Names, types, units and labels are listed in
 * {@code docs/operations.md}; counters are exposed with {@code _total}, durations in seconds, sizes in bytes.
 *
 * <p>Scrape threads only; a scrape allocates (snapshots, merged latency histograms).
 */
final class JobMetricFamilies {
    private static final double MILLIS_PER_SECOND = 1e3;
    private static final double MICROS_PER_SECOND = 1e6;
    private static final double NANOS_PER_SECOND = 1e9;

    private JobMetricFamilies() {}

    static void register(JobMetrics job, PrometheusRegistry registry) {
        jobCounters(job, registry);
        checkpointGauges(job, registry);
        taskFamilies(job, registry);
        GaugeWithCallback.builder()
                .name("tidemark_throughput_records_per_second")
                .help("Source records per second since the job started, replays included")
                .callback(g -> g.call(job.sourceRecordsAllAttempts() / Math.max(1e-9, job.elapsedSeconds())))
                .register(registry);
        SummaryWithCallback.builder()
                .name("tidemark_record_latency_seconds")
                .unit(Unit.SECONDS)
                .help("Source emission to arrival at an operator fed through a ring, over every attempt; sampled")
                .labelNames("operator")
                .callback(s -> {
                    for (String operator : job.receivingOperators()) {
                        LatencySummary.report(s, job.inputLatency(operator), operator);
                    }
                })
                .register(registry);
    }

    private static void jobCounters(JobMetrics job, PrometheusRegistry registry) {
        CounterWithCallback.builder()
                .name("tidemark_source_records")
                .help("Records emitted by sources over every attempt, replays included")
                .callback(c -> c.call(job.sourceRecordsAllAttempts()))
                .register(registry);
        CounterWithCallback.builder()
                .name("tidemark_restarts")
                .help("Pipeline restarts from a checkpoint")
                .callback(c -> c.call(job.restarts()))
                .register(registry);
        CounterWithCallback.builder()
                .name("tidemark_checkpoints_completed")
                .help("Completed checkpoints")
                .callback(c -> c.call(job.getCompletedCheckpoints()))
                .register(registry);
    }

    private static void checkpointGauges(JobMetrics job, PrometheusRegistry registry) {
        GaugeWithCallback.builder()
                .name("tidemark_checkpoint_last_id")
                .help("Id of the last completed checkpoint, 0 before the first")
                .callback(g -> g.call(job.getLastCheckpointId()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("tidemark_checkpoint_last_bytes")
                .unit(Unit.BYTES)
                .help("Size of the last completed checkpoint")
                .callback(g -> g.call(job.getLastCheckpointBytes()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("tidemark_state_checkpoint_bytes")
                .unit(Unit.BYTES)
                .help("State size: bytes of the last completed checkpoint")
                .callback(g -> g.call(job.getLastCheckpointBytes()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("tidemark_checkpoint_last_duration_seconds")
                .unit(Unit.SECONDS)
                .help("Trigger to commit of the last completed checkpoint")
                .callback(g -> g.call(job.getLastCheckpointDurationMillis() / MILLIS_PER_SECOND))
                .register(registry);
        GaugeWithCallback.builder()
                .name("tidemark_checkpoint_last_sync_pause_seconds")
                .unit(Unit.SECONDS)
                .help("Longest synchronous snapshot pause of any instance in the last completed checkpoint")
                .callback(g -> g.call(lastSyncPauseMicros(job.checkpoints()) / MICROS_PER_SECOND))
                .register(registry);
        GaugeWithCallback.builder()
                .name("tidemark_checkpoint_max_sync_pause_seconds")
                .unit(Unit.SECONDS)
                .help("Longest synchronous snapshot pause of any completed checkpoint")
                .callback(g -> g.call(maxSyncPauseMicros(job.checkpoints()) / MICROS_PER_SECOND))
                .register(registry);
    }

    private static void taskFamilies(JobMetrics job, PrometheusRegistry registry) {
        CounterWithCallback.builder()
                .name("tidemark_task_records_in")
                .help("Records received by an operator instance in the current attempt")
                .labelNames("task")
                .callback(c -> {
                    for (TaskMetrics m : job.liveTasks()) {
                        c.call(m.recordsIn, m.task());
                    }
                })
                .register(registry);
        CounterWithCallback.builder()
                .name("tidemark_task_alignment_seconds")
                .unit(Unit.SECONDS)
                .help("Time an operator instance spent aligning checkpoint barriers in the current attempt")
                .labelNames("task")
                .callback(c -> {
                    for (TaskMetrics m : job.liveTasks()) {
                        c.call(m.alignmentNanos / NANOS_PER_SECOND, m.task());
                    }
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("tidemark_state_resident_bytes")
                .unit(Unit.BYTES)
                .help("Keyed state of an operator instance held in memory (0: the backend does not measure)")
                .labelNames("task")
                .callback(g -> {
                    for (TaskMetrics m : job.liveTasks()) {
                        if (m.keyed()) {
                            g.call(m.stateMemory().residentBytes(), m.task());
                        }
                    }
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("tidemark_state_spilled_bytes")
                .unit(Unit.BYTES)
                .help("Keyed state of an operator instance only in its working files (0: the backend does not spill)")
                .labelNames("task")
                .callback(g -> {
                    for (TaskMetrics m : job.liveTasks()) {
                        if (m.keyed()) {
                            g.call(m.stateMemory().spilledBytes(), m.task());
                        }
                    }
                })
                .register(registry);
    }

    private static long lastSyncPauseMicros(List<JobMetrics.CheckpointStat> checkpoints) {
        return checkpoints.isEmpty()
                ? 0
                : checkpoints.get(checkpoints.size() - 1).syncPauseMicrosMax();
    }

    private static long maxSyncPauseMicros(List<JobMetrics.CheckpointStat> checkpoints) {
        long max = 0;
        for (JobMetrics.CheckpointStat c : checkpoints) {
            max = Math.max(max, c.syncPauseMicrosMax());
        }
        return max;
    }
}
