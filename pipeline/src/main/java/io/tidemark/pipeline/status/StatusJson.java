package io.tidemark.pipeline.status;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidemark.backend.StateMemory;
import io.tidemark.pipeline.metrics.TaskMetrics;
import io.tidemark.pipeline.operator.PlanNode;
import io.tidemark.pipeline.queryable.QueryJson;
import io.tidemark.pipeline.runtime.CheckpointHistory;
import io.tidemark.pipeline.runtime.JobRunner;
import java.util.List;
import java.util.Locale;

/**
 * The body of {@code GET /status.json}: the plan with the latest counters, rates and ring backlogs, series over the
 * kept samples, the checkpoint history, state sizes and restarts. Unknown figures are JSON {@code null}, never a
 * made-up number. Field names are documented in {@code docs/operations.md}. Runs on the HTTP server's threads.
 */
final class StatusJson {
    /** Checkpoints shown: the newest ones of the history. */
    static final int CHECKPOINTS = 60;

    private final JobRunner runner;
    private final List<PlanNode> plan;
    private final StatusSampler sampler;

    StatusJson(JobRunner runner, List<PlanNode> plan, StatusSampler sampler) {
        this.runner = runner;
        this.plan = List.copyOf(plan);
        this.sampler = sampler;
    }

    ObjectNode render() {
        List<StatusSample> samples = sampler.samples();
        StatusSample last = samples.isEmpty() ? null : samples.get(samples.size() - 1);
        ObjectNode body = QueryJson.MAPPER.createObjectNode();
        body.put("status", runner.isRunning() ? "running" : "not_running");
        body.put("time_ms", System.currentTimeMillis());
        body.put("uptime_s", runner.metrics().elapsedSeconds());
        body.put("restarts", runner.metrics().restarts());
        body.put("sample_period_ms", sampler.periodMillis());
        body.put("sampler_error", sampler.lastError());
        body.set("operators", operators(last));
        body.set("edges", edges(last));
        body.set("series", series(samples));
        body.set("checkpoints", checkpoints());
        body.set("state", state());
        return body;
    }

    private ArrayNode operators(StatusSample last) {
        ArrayNode list = QueryJson.MAPPER.createArrayNode();
        for (PlanNode node : plan) {
            ObjectNode n = list.addObject();
            n.put("id", node.id());
            n.put("name", node.name());
            n.put("parallelism", node.parallelism());
            n.put("source", node.isSource());
            n.put("keyed", node.isKeyed());
            PlanNode child = firstChild(node);
            putCount(n, "records_in", last == null ? -1 : last.recordsIn()[node.id()]);
            // an instance hands every record it emits to each outgoing edge: what the first child received
            putCount(n, "records_out", last == null || child == null ? -1 : last.recordsIn()[child.id()]);
            putRate(n, "rate_in_per_s", last == null ? Double.NaN : last.rateIn()[node.id()]);
            putRate(n, "rate_out_per_s", last == null || child == null ? Double.NaN : last.rateIn()[child.id()]);
        }
        return list;
    }

    private ArrayNode edges(StatusSample last) {
        ArrayNode list = QueryJson.MAPPER.createArrayNode();
        int ringSize = runner.config().ringSize();
        for (PlanNode node : plan) {
            if (node.isSource()) {
                continue;
            }
            for (PlanNode.Input input : node.inputs()) {
                edge(list.addObject(), node, input, last, ringSize);
            }
        }
        return list;
    }

    private void edge(ObjectNode e, PlanNode node, PlanNode.Input input, StatusSample last, int ringSize) {
        {
            e.put("from", input.node().id());
            e.put("to", node.id());
            if (input.sideOutput() != null) {
                e.put("side_output", input.sideOutput().id());
            }
            e.put("partitioning", input.partitioning().name().toLowerCase(Locale.ROOT));
            boolean chained = node.chainsOntoInput();
            e.put("chained", chained);
            e.put("ring_size", chained ? 0 : ringSize);
            long backlog = last == null ? -1 : last.backlog()[node.id()];
            long fullest = last == null ? -1 : last.maxRingBacklog()[node.id()];
            putCount(e, "backlog", backlog);
            if (fullest < 0) {
                e.putNull("backpressure");
            } else {
                e.put("backpressure", Math.min(1.0, (double) fullest / ringSize));
            }
        }
    }

    private ObjectNode series(List<StatusSample> samples) {
        ObjectNode series = QueryJson.MAPPER.createObjectNode();
        ArrayNode time = series.putArray("time_ms");
        ArrayNode restarts = series.putArray("restarts");
        ObjectNode rates = series.putObject("rate_in_per_s");
        ObjectNode pressure = series.putObject("backpressure");
        ObjectNode latency = series.putObject("latency_us");
        ArrayNode p50 = latency.putArray("p50");
        ArrayNode p99 = latency.putArray("p99");
        ArrayNode p999 = latency.putArray("p99.9");
        ObjectNode inputP99 = series.putObject("input_latency_p99_us");
        int ringSize = runner.config().ringSize();
        for (StatusSample s : samples) {
            time.add(s.timeMillis());
            restarts.add(s.restarts());
            for (PlanNode node : plan) {
                double rate = s.rateIn()[node.id()];
                ArrayNode r = rates.withArrayProperty(node.name());
                if (Double.isNaN(rate)) {
                    r.addNull();
                } else {
                    r.add(Math.round(rate));
                }
                if (!node.isSource() && !node.chainsOntoInput()) {
                    ArrayNode p = pressure.withArrayProperty(inputNames(node) + " -> " + node.name());
                    long fullest = s.maxRingBacklog()[node.id()];
                    if (fullest < 0) {
                        p.addNull();
                    } else {
                        p.add(Math.min(1.0, (double) fullest / ringSize));
                    }
                }
            }
            StatusSample.Latency l = s.latency();
            addMicros(p50, l.p50Nanos());
            addMicros(p99, l.p99Nanos());
            addMicros(p999, l.p999Nanos());
            for (PlanNode node : plan) {
                if (!node.isSource() && !node.chainsOntoInput()) {
                    addMicros(inputP99.withArrayProperty(node.name()), s.inputLatency()[node.id()].p99Nanos());
                }
            }
        }
        return series;
    }

    private ArrayNode checkpoints() {
        List<CheckpointHistory.Entry> entries = runner.checkpointHistory().entries();
        ArrayNode list = QueryJson.MAPPER.createArrayNode();
        for (CheckpointHistory.Entry c : entries.subList(Math.max(0, entries.size() - CHECKPOINTS), entries.size())) {
            ObjectNode n = list.addObject();
            n.put("id", c.id());
            n.put("status", c.status());
            n.put("reason", c.reason());
            putCount(n, "bytes", c.bytes());
            putCount(n, "incremental_bytes", c.incrementalBytes());
            putCount(n, "duration_ms", c.durationMillis());
            putCount(n, "sync_pause_us", c.syncPauseMicros());
        }
        return list;
    }

    private ObjectNode state() {
        ObjectNode state = QueryJson.MAPPER.createObjectNode();
        state.put("backend", runner.config().backend());
        state.put("memory_budget_bytes_per_instance", runner.config().memoryBytes());
        long checkpointBytes = -1;
        for (CheckpointHistory.Entry c : runner.checkpointHistory().entries()) {
            if (c.status().equals("COMPLETED")) {
                checkpointBytes = c.bytes();
            }
        }
        putCount(state, "last_checkpoint_bytes", checkpointBytes);
        ArrayNode operators = state.putArray("operators");
        for (PlanNode node : plan) {
            if (node.isKeyed()) {
                ObjectNode n = operators.addObject();
                n.put("name", node.name());
                n.put("instances", node.parallelism());
                long resident = 0;
                long spilled = 0;
                for (TaskMetrics task : runner.metrics().liveTasks()) {
                    if (task.keyed() && task.task().startsWith(node.name() + "#")) {
                        StateMemory memory = task.stateMemory();
                        resident += memory.residentBytes();
                        spilled += memory.spilledBytes();
                    }
                }
                n.put("resident_bytes", resident);
                n.put("spilled_bytes", spilled);
            }
        }
        return state;
    }

    /** The names of a node's inputs, joined with "+" (a union has several). */
    private static String inputNames(PlanNode node) {
        StringBuilder names = new StringBuilder();
        for (PlanNode.Input input : node.inputs()) {
            names.append(names.length() == 0 ? "" : "+").append(input.node().name());
        }
        return names.toString();
    }

    private PlanNode firstChild(PlanNode node) {
        for (PlanNode other : plan) {
            if (other.consumes(node)) {
                return other;
            }
        }
        return null;
    }

    private static void putCount(ObjectNode n, String field, long value) {
        if (value < 0) {
            n.putNull(field);
        } else {
            n.put(field, value);
        }
    }

    private static void putRate(ObjectNode n, String field, double value) {
        if (Double.isNaN(value)) {
            n.putNull(field);
        } else {
            n.put(field, Math.round(value));
        }
    }

    private static void addMicros(ArrayNode list, long nanos) {
        if (nanos < 0) {
            list.addNull();
        } else {
            list.add(Math.round(nanos / 100.0) / 10.0);
        }
    }
}
