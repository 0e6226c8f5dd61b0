package io.tidemark.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.pipeline.Pipeline;
import io.tidemark.pipeline.PipelineContext;
import io.tidemark.pipeline.function.SinkFunction;
import io.tidemark.pipeline.function.SourceContext;
import io.tidemark.pipeline.function.SourceFunction;
import io.tidemark.pipeline.metrics.TaskMetrics;
import io.tidemark.pipeline.operator.OperatorContext;
import io.tidemark.pipeline.operator.PlanNode;
import io.tidemark.pipeline.operator.RecordOutput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which instances chain together, and which worker runs each chain. */
class WorkerPlanTest {
    @TempDir
    Path dir;

    @Test
    void forwardOperatorsAtTheSameParallelismChainAndInstanceIRunsOnWorkerIModWorkers() {
        // source(1) -> map(1) -> filter(1) -> keyBy -> count(2) -> sink(2), and a sink(3) after count: a new
        // parallelism
        Pipeline pipeline =
                new Pipeline(new PipelineContext().stateDirectory(dir).workers(2));
        var counts = pipeline.source("src", Numbers::new, 1)
                .map("map", (Long v) -> v + 1)
                .filter("filter", (Long v) -> v > 0)
                .keyBy((Long v) -> v, io.tidemark.serialization.LongSerializer.INSTANCE)
                .process("count", () -> new BackpressureCheckpointTest.SumPerKey(), 2);
        counts.sink("out", Discard::new, 2);
        counts.sink("wide", Discard::new, 3);

        List<String> chained = new ArrayList<>();
        for (PlanNode node : pipeline.nodes()) {
            if (node.chainsOntoInput()) {
                chained.add(node.name());
            }
        }
        assertThat(chained).containsExactly("map", "filter", "out");

        List<List<String>> plan = plan(pipeline);
        assertThat(plan)
                .containsExactly(
                        List.of("src#0[src,map,filter]", "count#0[count,out]", "wide#0[wide]", "wide#2[wide]"),
                        List.of("count#1[count,out]", "wide#1[wide]"));
    }

    @Test
    void aUnionIsFedByRingsAndWhatFollowsItChainsOntoIt() {
        Pipeline pipeline =
                new Pipeline(new PipelineContext().stateDirectory(dir).workers(2));
        var a = pipeline.source("a", Numbers::new, 2);
        var b = pipeline.source("b", Numbers::new, 1);
        a.union("both", b).map("inc", (Long v) -> v + 1).sink("out", Discard::new, 2);
        assertThat(plan(pipeline))
                .containsExactly(
                        List.of("a#0[a]", "b#0[b]", "both#0[both,inc,out]"), List.of("a#1[a]", "both#1[both,inc,out]"));
    }

    @Test
    void workersAreCappedByTheWidestOperator() {
        Pipeline pipeline =
                new Pipeline(new PipelineContext().stateDirectory(dir).workers(8));
        pipeline.source("src", Numbers::new, 1).sink("out", Discard::new, 2);
        assertThat(plan(pipeline)).containsExactly(List.of("src#0[src]", "out#0[out]"), List.of("out#1[out]"));
    }

    /** Per worker, each chain as head#index[member operators]. */
    private static List<List<String>> plan(Pipeline pipeline) {
        List<PlanNode> nodes = pipeline.nodes();
        Cancellation cancellation = new Cancellation();
        Task[][] instances = new Task[nodes.size()][];
        List<Channel[][][]> channels = new ArrayList<>();
        for (PlanNode node : nodes) {
            instances[node.id()] = new Task[node.parallelism()];
            for (int i = 0; i < node.parallelism(); i++) {
                instances[node.id()][i] = new NamedTask(node.name(), i);
            }
            if (node.isSource() || node.chainsOntoInput()) {
                channels.add(null);
            } else {
                Channel[][][] perInput = new Channel[node.inputs().size()][][];
                for (int k = 0; k < perInput.length; k++) {
                    perInput[k] = new Channel[node.inputs().get(k).node().parallelism()][node.parallelism()];
                    for (Channel[] r : perInput[k]) {
                        Arrays.setAll(
                                r,
                                d -> new Channel(
                                        "c", 8, cancellation, pipeline.config().idleMode()));
                    }
                }
                channels.add(perInput);
            }
        }
        List<List<String>> result = new ArrayList<>();
        for (Worker worker : WorkerPlan.assign(nodes, instances, channels, pipeline.config(), cancellation, null)) {
            List<String> chains = new ArrayList<>();
            for (Chain chain : worker.chains()) {
                List<String> members = new ArrayList<>();
                for (Task member : chain.members()) {
                    members.add(member.name);
                }
                chains.add(chain.name() + members.toString().replace(" ", ""));
            }
            result.add(chains);
        }
        return result;
    }

    /** A task that only carries its name: the plan never runs it. */
    private static final class NamedTask extends Task {
        NamedTask(String name, int index) {
            super(
                    name,
                    0,
                    index,
                    1,
                    null,
                    new OperatorContext(
                            name,
                            index,
                            1,
                            128,
                            null,
                            null,
                            new RecordOutput(new RecordOutput.Edge[0]),
                            new TaskMetrics(name),
                            null),
                    null,
                    null,
                    null);
        }

        @Override
        boolean step(int room) {
            return false;
        }

        @Override
        boolean finished() {
            return false;
        }
    }

    static final class Numbers implements SourceFunction<Long> {
        @Override
        public boolean emitNext(SourceContext<Long> ctx) {
            return false;
        }

        @Override
        public void initializeState(io.tidemark.backend.OperatorStateStore store, boolean restored) {}

        @Override
        public void snapshotState(long checkpointId) {}
    }

    static final class Discard implements SinkFunction<Long> {
        @Override
        public void invoke(Long value, long timestamp) {}
    }
}
