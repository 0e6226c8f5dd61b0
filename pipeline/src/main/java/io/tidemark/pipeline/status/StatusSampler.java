package io.tidemark.pipeline.status;

import io.tidemark.pipeline.metrics.JobMetrics;
import io.tidemark.pipeline.metrics.TaskMetrics;
import io.tidemark.pipeline.operator.PlanNode;
import io.tidemark.pipeline.runtime.Channel;
import io.tidemark.pipeline.runtime.JobRunner;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples a job once a period on a daemon thread of its own ({@code tidemark-status-sampler}) and keeps the last
 * {@code capacity} samples: per-operator record counters and rates, the backlog of every ring, and the percentiles of
 * the latency recorded during the period ({@link IntervalLatency}) end to end at the sinks and from the sources to
 * each operator fed through rings. Operator threads are never asked for anything: counters and histograms are read racily as
 * {@link TaskMetrics} allows, ring backlogs through {@link Channel#backlog()}.
 *
 * <p>Threads: {@link #samples()} and {@link #lastError()} from any thread. Allocation: a few arrays and one histogram
 * copy per period, on the sampler's thread only. Errors: a sample that throws is dropped and its error kept for
 * {@link #lastError()} ({@code /status.json} shows it); the next period samples again.
 */
final class StatusSampler implements AutoCloseable {
    private final JobRunner runner;
    private final List<PlanNode> plan;
    private final Map<String, Integer> nodeIds = new HashMap<>();
    private final int capacity;
    private final long periodMillis;
    private final ScheduledExecutorService timer;
    private final ArrayDeque<StatusSample> ring; // guarded by this
    private volatile String lastError;
    private StatusSample previous; // sampler thread only
    private final IntervalLatency sinkLatency;
    private final IntervalLatency[] inputLatency; // by node id; null for sources and chained operators

    StatusSampler(JobRunner runner, List<PlanNode> plan, int capacity, long periodMillis) {
        this.runner = runner;
        this.plan = List.copyOf(plan);
        this.capacity = capacity;
        this.periodMillis = periodMillis;
        this.ring = new ArrayDeque<>(capacity);
        JobMetrics metrics = runner.metrics();
        this.sinkLatency = new IntervalLatency(metrics::sinkLatency);
        this.inputLatency = new IntervalLatency[plan.size()];
        for (PlanNode node : plan) {
            nodeIds.put(node.name(), node.id());
            if (!node.isSource() && !node.chainsOntoInput()) {
                inputLatency[node.id()] = new IntervalLatency(() -> metrics.inputLatency(node.name()));
            }
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tidemark-status-sampler");
            t.setDaemon(true);
            return t;
        });
    }

    /** Takes the first sample now and one every period after. */
    void start() {
        timer.scheduleAtFixedRate(this::sampleOnce, 0, periodMillis, TimeUnit.MILLISECONDS);
    }

    long periodMillis() {
        return periodMillis;
    }

    /** Any thread: the kept samples, oldest first. */
    synchronized List<StatusSample> samples() {
        return new ArrayList<>(ring);
    }

    /** Any thread: the error of the last sample that failed, or {@code null}. */
    String lastError() {
        return lastError;
    }

    private void sampleOnce() {
        try {
            StatusSample sample = sample();
            previous = sample;
            synchronized (this) {
                if (ring.size() == capacity) {
                    ring.removeFirst();
                }
                ring.addLast(sample);
            }
        } catch (RuntimeException e) {
            // a thrown exception would cancel the schedule: keep sampling, and show the error on the page
            lastError = e.toString();
        }
    }

    private StatusSample sample() {
        JobMetrics metrics = runner.metrics();
        long nanos = System.nanoTime();
        long restarts = metrics.restarts();
        long[] recordsIn = new long[plan.size()];
        for (TaskMetrics task : metrics.liveTasks()) {
            Integer id = nodeIds.get(operatorOf(task.task()));
            if (id != null) {
                recordsIn[id] += task.recordsIn;
            }
        }
        long[] backlog = new long[plan.size()];
        long[] maxRing = new long[plan.size()];
        Arrays.fill(backlog, -1);
        Arrays.fill(maxRing, -1);
        for (Channel channel : runner.channels()) {
            Integer id = nodeIds.get(downstreamOf(channel.name()));
            if (id != null) {
                long waiting = Math.max(0, channel.backlog());
                backlog[id] = Math.max(0, backlog[id]) + waiting;
                maxRing[id] = Math.max(maxRing[id], waiting);
            }
        }
        return new StatusSample(
                System.currentTimeMillis(),
                nanos,
                restarts,
                recordsIn,
                rates(recordsIn, nanos, restarts),
                backlog,
                maxRing,
                sinkLatency.next(),
                inputLatencies());
    }

    private StatusSample.Latency[] inputLatencies() {
        StatusSample.Latency[] result = new StatusSample.Latency[plan.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = inputLatency[i] == null ? StatusSample.Latency.NONE : inputLatency[i].next();
        }
        return result;
    }

    private double[] rates(long[] recordsIn, long nanos, long restarts) {
        double[] rates = new double[recordsIn.length];
        Arrays.fill(rates, Double.NaN);
        StatusSample before = previous;
        if (before == null || before.restarts() != restarts || nanos <= before.nanos()) {
            return rates;
        }
        double seconds = (nanos - before.nanos()) / 1e9;
        for (int i = 0; i < recordsIn.length; i++) {
            long delta = recordsIn[i] - before.recordsIn()[i];
            // fewer records than before: a new attempt's counters began again
            rates[i] = delta < 0 ? Double.NaN : delta / seconds;
        }
        return rates;
    }

    /** {@code "window-stats#1"} is instance 1 of {@code "window-stats"}. */
    private static String operatorOf(String task) {
        int hash = task.lastIndexOf('#');
        return hash < 0 ? task : task.substring(0, hash);
    }

    /** A ring is named {@code "up#i->down#j"}. */
    private static String downstreamOf(String channel) {
        int arrow = channel.lastIndexOf("->");
        return arrow < 0 ? channel : operatorOf(channel.substring(arrow + 2));
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
