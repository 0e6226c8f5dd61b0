package io.tidemark.pipeline.metrics;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.HdrHistogram.Histogram;

/**
 * Job-wide figures across restarts: source records, sink latency, checkpoints, and the job's Prometheus registry
 * ({@link #registry()}: these figures, the live tasks' counters and state sizes, the JVM's metrics, read at scrape
 * time). Thread-safe; cold path except the per-task counters it aggregates.
 */
public final class JobMetrics implements PipelineMetricsMXBean {
    /** One completed checkpoint. */
    public record CheckpointStat(long id, long durationMillis, long bytes, long syncPauseMicrosMax) {}

    private final List<TaskMetrics> retired = new CopyOnWriteArrayList<>();
    private volatile List<TaskMetrics> live = List.of();
    private volatile List<String> sourceNames = List.of();
    private volatile List<String> sinkNames = List.of();
    private volatile List<String> ringFedNames = List.of();
    private final List<CheckpointStat> checkpoints = new CopyOnWriteArrayList<>();
    private final AtomicLong restarts = new AtomicLong();
    private final long startNanos = System.nanoTime();
    private volatile ObjectName registered;
    private final PrometheusRegistry registry = new PrometheusRegistry();

    public JobMetrics() {
        JobMetricFamilies.register(this, registry);
        registry.register(JvmMetricFamilies.INSTANCE);
    }

    /**
     * The job's Prometheus registry: the families of {@code docs/operations.md} and the JVM's. Other components add
     * their own families to it (the query endpoints add the query counters). Any thread.
     */
    public PrometheusRegistry registry() {
        return registry;
    }

    /**
     * A new attempt's instances; the previous attempt's are kept for latency but not for counts (replays).
     *
     * @param sources names of the source operators
     * @param sinks names of the operators nothing consumes
     * @param ringFed names of the operators that receive through rings (after a {@code keyBy} or a change of
     *     parallelism); chained operators are called directly and have no input latency of their own
     */
    public void attemptStarted(
            List<TaskMetrics> tasks, List<String> sources, List<String> sinks, List<String> ringFed) {
        retired.addAll(live);
        live = List.copyOf(tasks);
        sourceNames = List.copyOf(sources);
        sinkNames = List.copyOf(sinks);
        ringFedNames = List.copyOf(ringFed);
    }

    /**
     * Any thread: the counters of the current attempt's instances, read racily (see {@link TaskMetrics}); empty before
     * the first attempt. Allocates nothing.
     */
    public List<TaskMetrics> liveTasks() {
        return live;
    }

    public void restarted() {
        restarts.incrementAndGet();
    }

    public long restarts() {
        return restarts.get();
    }

    /** Records a completed checkpoint; the runtime calls it once per checkpoint, in id order. Any thread. */
    public void checkpointCompleted(CheckpointStat stat) {
        checkpoints.add(stat);
    }

    public List<CheckpointStat> checkpoints() {
        return new ArrayList<>(checkpoints);
    }

    /** Records read by the sources of the current attempt (after a restore: since the restored offset). */
    public long sourceRecords() {
        long total = 0;
        for (TaskMetrics m : live) {
            if (sourceNames.contains(operatorOf(m))) {
                total += m.recordsIn;
            }
        }
        return total;
    }

    /** Records read by sources over every attempt, replays included. */
    public long sourceRecordsAllAttempts() {
        long total = sourceRecords();
        for (TaskMetrics m : retired) {
            if (sourceNames.contains(operatorOf(m))) {
                total += m.recordsIn;
            }
        }
        return total;
    }

    /** End-to-end latency of records reaching sinks, over every attempt. Call after the tasks stopped. */
    public Histogram sinkLatency() {
        Histogram total = new Histogram(3_600_000_000_000L, 3);
        for (List<TaskMetrics> list : List.of(retired, live)) {
            for (TaskMetrics m : list) {
                if (sinkNames.contains(operatorOf(m))) {
                    total.add(m.endToEndLatencyNanos());
                }
            }
        }
        return total;
    }

    /** Latency from source emission to arrival at {@code operator}'s instances, over every attempt. */
    public Histogram inputLatency(String operator) {
        Histogram total = new Histogram(3_600_000_000_000L, 3);
        for (List<TaskMetrics> list : List.of(retired, live)) {
            for (TaskMetrics m : list) {
                if (operator.equals(operatorOf(m))) {
                    total.add(m.inputLatencyNanos());
                }
            }
        }
        return total;
    }

    /** The operators that receive through rings, whose input latency (source to arrival) is sampled. */
    public List<String> receivingOperators() {
        return ringFedNames;
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    @Override
    public long getSourceRecords() {
        return sourceRecordsAllAttempts();
    }

    @Override
    public long getRestarts() {
        return restarts();
    }

    @Override
    public int getCompletedCheckpoints() {
        return checkpoints.size();
    }

    @Override
    public long getLastCheckpointId() {
        return checkpoints.isEmpty()
                ? 0
                : checkpoints.get(checkpoints.size() - 1).id();
    }

    @Override
    public long getLastCheckpointBytes() {
        return checkpoints.isEmpty()
                ? 0
                : checkpoints.get(checkpoints.size() - 1).bytes();
    }

    @Override
    public long getLastCheckpointDurationMillis() {
        return checkpoints.isEmpty()
                ? 0
                : checkpoints.get(checkpoints.size() - 1).durationMillis();
    }

    @Override
    public String getPrometheusText() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array stream does not fail
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Registers this as {@code io.tidemark:type=Pipeline,name=<name>}; returns false if JMX refused. */
    public boolean registerMBean(String name) {
        try {
            ObjectName objectName = new ObjectName("io.tidemark:type=Pipeline,name=" + name);
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            if (server.isRegistered(objectName)) {
                server.unregisterMBean(objectName);
            }
            server.registerMBean(this, objectName);
            registered = objectName;
            return true;
        } catch (JMException e) {
            return false;
        }
    }

    /** Removes the registration made by {@link #registerMBean}. */
    public void unregisterMBean() {
        ObjectName name = registered;
        if (name != null) {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
            } catch (JMException ignored) {
                // already gone
            }
            registered = null;
        }
    }

    private static String operatorOf(TaskMetrics m) {
        int hash = m.task().lastIndexOf('#');
        return hash < 0 ? m.task() : m.task().substring(0, hash);
    }
}
