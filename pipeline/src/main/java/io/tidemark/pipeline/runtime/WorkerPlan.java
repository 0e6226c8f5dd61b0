package io.tidemark.pipeline.runtime;

import io.tidemark.pipeline.PipelineContext;
import io.tidemark.pipeline.operator.PlanNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Groups an attempt's instances into {@link Chain}s and the chains onto worker threads. A chain starts at every
 * instance that is not {@link PlanNode#chainsOntoInput chained} (sources, and operators behind a {@code keyBy} or a change
 * of parallelism) and takes in the instances chained to it, transitively. Instance {@code i} of every chain runs on
 * worker {@code i % workers}, where {@code workers} is the configured count capped by the widest operator: with a keyed
 * operator at {@code workers} instances, each worker runs the key groups of one instance, and sources and sinks share
 * those threads. Each chain may step, while it waits for ring space, the chains of its worker downstream of it and the
 * worker's sources ({@link Chain}). Build time only.
 */
final class WorkerPlan {
    private WorkerPlan() {}

    static List<Worker> assign(
            List<PlanNode> nodes,
            Task[][] instances,
            List<Channel[][][]> inputChannels,
            PipelineContext config,
            Cancellation cancellation,
            Task.TaskHost host) {
        int widest = 1;
        for (PlanNode node : nodes) {
            widest = Math.max(widest, node.parallelism());
        }
        int count = Math.min(config.workers(), widest);
        List<List<Chain>> perWorker = new ArrayList<>();
        List<List<PlanNode>> headsPerWorker = new ArrayList<>();
        for (int w = 0; w < count; w++) {
            perWorker.add(new ArrayList<>());
            headsPerWorker.add(new ArrayList<>());
        }
        for (PlanNode node : nodes) {
            if (node.chainsOntoInput()) {
                continue;
            }
            for (int i = 0; i < node.parallelism(); i++) {
                List<Task> members = new ArrayList<>();
                List<Channel> outputs = new ArrayList<>();
                members.add(instances[node.id()][i]);
                collect(nodes, node, i, instances, inputChannels, members, outputs);
                perWorker.get(i % count).add(new Chain(members, outputs));
                headsPerWorker.get(i % count).add(node);
            }
        }
        List<Worker> workers = new ArrayList<>();
        for (int w = 0; w < count; w++) {
            List<Chain> chains = perWorker.get(w);
            List<PlanNode> heads = headsPerWorker.get(w);
            for (int c = 0; c < chains.size(); c++) {
                List<Chain> downstream = new ArrayList<>();
                for (int d = 0; d < chains.size(); d++) {
                    if (isStrictlyDownstream(heads.get(d), heads.get(c))
                            || (d != c && heads.get(d).isSource())) {
                        downstream.add(chains.get(d));
                    }
                }
                chains.get(c).downstream(downstream);
            }
            workers.add(new Worker(chains.toArray(new Chain[0]), config.idleMode(), cancellation, host));
        }
        return workers;
    }

    private static void collect(
            List<PlanNode> nodes,
            PlanNode node,
            int index,
            Task[][] instances,
            List<Channel[][][]> inputChannels,
            List<Task> members,
            List<Channel> outputs) {
        for (PlanNode child : nodes) {
            if (!child.consumes(node)) {
                continue;
            }
            if (child.chainsOntoInput()) {
                members.add(instances[child.id()][index]);
                collect(nodes, child, index, instances, inputChannels, members, outputs);
                continue;
            }
            for (int k = 0; k < child.inputs().size(); k++) {
                if (child.inputs().get(k).node() != node) {
                    continue;
                }
                for (Channel channel : inputChannels.get(child.id())[k][index]) {
                    if (channel != null) {
                        outputs.add(channel);
                    }
                }
            }
        }
    }

    /** True when {@code node} is fed, directly or through other operators, by {@code upstream}. */
    private static boolean isStrictlyDownstream(PlanNode node, PlanNode upstream) {
        for (PlanNode.Input in : node.inputs()) {
            if (in.node() == upstream || isStrictlyDownstream(in.node(), upstream)) {
                return true;
            }
        }
        return false;
    }
}
