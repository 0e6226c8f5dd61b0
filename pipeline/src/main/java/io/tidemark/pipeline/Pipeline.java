package io.tidemark.pipeline;

import io.tidemark.ConfigurationException;
import io.tidemark.function.OutputTag;
import io.tidemark.pipeline.function.KeySelector;
import io.tidemark.pipeline.function.SourceFunction;
import io.tidemark.pipeline.operator.PlanNode;
import io.tidemark.pipeline.operator.SimpleOperators;
import io.tidemark.pipeline.operator.SourceOperatorFactory;
import io.tidemark.serialization.StateSerializer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Builds a dataflow: sources, transformations, keyed processing and sinks. Cold path, one thread. Operator names are
 * their stable ids in checkpoints: keep them unchanged across versions of a job to restore its state.
 *
 * <pre>{@code
 * Pipeline p = new Pipeline(new PipelineContext().stateDirectory(Path.of("state")).defaultParallelism(2));
 * p.source("trades", () -> new MarketStatsSource(input, out, 0, ErrorPolicy.DEAD_LETTER), 1)
 *  .keyBy(Trade::symbol, StringSerializer.INSTANCE)
 *  .process("window-stats", () -> new MarketStatsFunction(null), 2)
 *  .sink("output", () -> new TwoPhaseFileSink<WindowStats>(out, WindowStats::toCsv), 2);
 * new JobRunner(p, events).run(new JobRunner.RestoreMode.Latest());
 * }</pre>
 */
public final class Pipeline {
    private final PipelineContext config;
    private final List<PlanNode> nodes = new ArrayList<>();
    private final Set<String> names = new HashSet<>();

    /**
     * A pipeline configured by {@code context}, which is concluded here (and frozen from then on).
     *
     * @throws io.tidemark.ConfigurationException naming the first setting of {@code context} out of range
     */
    public Pipeline(PipelineContext context) {
        this.config = context.conclude();
    }

    /** The concluded context. */
    public PipelineContext config() {
        return config;
    }

    /** Adds a source with {@code parallelism} instances, each created by {@code factory}. */
    public <T> DataStream<T> source(String name, Supplier<? extends SourceFunction<T>> factory, int parallelism) {
        PlanNode node = addNode(
                name,
                parallelism,
                null,
                PlanNode.Partitioning.FORWARD,
                null,
                null,
                new SourceOperatorFactory<>(factory));
        return new DataStream<>(this, node);
    }

    /** The nodes in creation order (a topological order). */
    public List<PlanNode> nodes() {
        return List.copyOf(nodes);
    }

    /** Replaces {@code node} (which no other node takes as input yet) by {@code replacement}, same id. */
    PlanNode replace(PlanNode node, PlanNode replacement) {
        for (PlanNode other : nodes) {
            if (other.consumes(node)) {
                throw new ConfigurationException(
                        "operator already has consumers: operator=" + node.name() + ", consumer=" + other.name());
            }
        }
        nodes.set(node.id(), replacement);
        return replacement;
    }

    PlanNode addNode(
            String name,
            int parallelism,
            PlanNode input,
            PlanNode.Partitioning partitioning,
            KeySelector<?, ?> keySelector,
            StateSerializer<?> keySerializer,
            PlanNode.OperatorFactory factory) {
        return addNode(name, parallelism, input, partitioning, keySelector, keySerializer, factory, null);
    }

    /** Adds a union node: its operator passes on the records of every input, each input partitioned forward. */
    PlanNode addUnion(String name, int parallelism, List<PlanNode.Input> inputs) {
        List<PlanNode> producers = new ArrayList<>();
        for (PlanNode.Input in : inputs) {
            producers.add(in.node());
        }
        int p = checkNewNode(name, parallelism, producers);
        PlanNode node = new PlanNode(nodes.size(), name, p, inputs, SimpleOperators::union);
        nodes.add(node);
        return node;
    }

    /** Adds a node with two inputs, each partitioned as it says; keyed when {@code keySerializer} is not null. */
    PlanNode addTwoInput(
            String name,
            int parallelism,
            PlanNode.Input firstInput,
            PlanNode.Input secondInput,
            StateSerializer<?> keySerializer,
            PlanNode.OperatorFactory factory) {
        int p = checkNewNode(name, parallelism, List.of(firstInput.node(), secondInput.node()));
        PlanNode node = new PlanNode(nodes.size(), name, p, List.of(firstInput, secondInput), keySerializer, factory);
        nodes.add(node);
        return node;
    }

    /** Adds a node that consumes side output {@code sideOutput} of {@code input} ({@code null}: the main output). */
    PlanNode addNode(
            String name,
            int parallelism,
            PlanNode input,
            PlanNode.Partitioning partitioning,
            KeySelector<?, ?> keySelector,
            StateSerializer<?> keySerializer,
            PlanNode.OperatorFactory factory,
            OutputTag<?> sideOutput) {
        int p = checkNewNode(name, parallelism, input == null ? List.of() : List.of(input));
        PlanNode node = new PlanNode(
                nodes.size(), name, p, input, partitioning, keySelector, keySerializer, factory, sideOutput);
        nodes.add(node);
        return node;
    }

    /**
     * Checks a new node's name (unique), parallelism and inputs (still the nodes of this pipeline) and reserves the name.
     *
     * @return the node's parallelism ({@code parallelism}, or the default for 0 or less)
     */
    private int checkNewNode(String name, int parallelism, List<PlanNode> inputs) {
        for (PlanNode input : inputs) {
            if (nodes.get(input.id()) != input) {
                throw new ConfigurationException("input operator was changed by copyRecords after this stream was"
                        + " derived from it: operator=" + name + ", input=" + input.name()
                        + "; call copyRecords right after creating the input stream");
            }
        }
        if (name == null || name.isEmpty() || !names.add(name)) {
            throw new ConfigurationException("operator name missing or not unique: name=" + name);
        }
        int p = parallelism <= 0 ? config.defaultParallelism() : parallelism;
        if (p > config.maxParallelism()) {
            throw new ConfigurationException("operator parallelism above max parallelism: operator=" + name
                    + ", parallelism=" + p + ", maxParallelism=" + config.maxParallelism());
        }
        return p;
    }
}
