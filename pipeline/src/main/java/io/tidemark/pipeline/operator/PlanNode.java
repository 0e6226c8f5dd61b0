package io.tidemark.pipeline.operator;

import io.tidemark.function.OutputTag;
import io.tidemark.pipeline.function.KeySelector;
import io.tidemark.pipeline.function.RecordCopier;
import io.tidemark.serialization.StateSerializer;
import java.util.List;

/**
 * One logical operator of a pipeline: its stable name, parallelism, input and how records reach it. Immutable after
 * the builder created it.
 */
public final class PlanNode {
    /** How records of the input node are spread over this node's instances. */
    public enum Partitioning {
        /** Same index when parallelisms match, round robin otherwise. */
        FORWARD,
        /** By key group of the record's key (the owning instance). */
        KEY_GROUPS,
        /** Every record to every instance (the broadcast side of a broadcast connect). */
        BROADCAST
    }

    /** Creates one operator instance; called once per instance and per (re)start. */
    @FunctionalInterface
    public interface OperatorFactory {
        StreamOperator create();
    }

    private final int id;
    private final String name;
    private final int parallelism;
    private final PlanNode input;
    private final StateSerializer<?> keySerializer;
    private final OperatorFactory factory;
    private final RecordSlots<?> recordSlots;
    private final OutputTag<?> sideOutput;
    private final List<Input> inputs;

    /**
     * One input of a node: the producing node, which of its outputs ({@code null}: the main output), how its records
     * are spread over the node's instances, and for {@link Partitioning#KEY_GROUPS} the selector of their keys.
     */
    public record Input(
            PlanNode node, OutputTag<?> sideOutput, Partitioning partitioning, KeySelector<?, ?> keySelector) {
        /** An input partitioned forward (same index at equal parallelism, round robin otherwise). */
        public Input(PlanNode node, OutputTag<?> sideOutput) {
            this(node, sideOutput, Partitioning.FORWARD, null);
        }
    }

    /**
     * How the records a node emits cross rings when they are copied into pre-allocated slots ({@code
     * DataStream.copyRecords}); absent, rings carry references.
     */
    public record RecordSlots<T>(java.util.function.Supplier<T> factory, RecordCopier<T> copier) {}

    /** A node that consumes side output {@code sideOutput} of {@code input} ({@code null}: its main output). */
    public PlanNode(
            int id,
            String name,
            int parallelism,
            PlanNode input,
            Partitioning partitioning,
            KeySelector<?, ?> keySelector,
            StateSerializer<?> keySerializer,
            OperatorFactory factory,
            OutputTag<?> sideOutput) {
        this(id, name, parallelism, input, partitioning, keySelector, keySerializer, factory, null, sideOutput);
    }

    private PlanNode(
            int id,
            String name,
            int parallelism,
            PlanNode input,
            Partitioning partitioning,
            KeySelector<?, ?> keySelector,
            StateSerializer<?> keySerializer,
            OperatorFactory factory,
            RecordSlots<?> recordSlots,
            OutputTag<?> sideOutput) {
        this(
                id,
                name,
                parallelism,
                input == null ? List.of() : List.of(new Input(input, sideOutput, partitioning, keySelector)),
                keySerializer,
                factory,
                recordSlots);
    }

    /**
     * A node with several inputs whose records all go to the same operator (a union), each input partitioned forward
     * (same index at equal parallelism, round robin otherwise).
     */
    public PlanNode(int id, String name, int parallelism, List<Input> inputs, OperatorFactory factory) {
        this(id, name, parallelism, inputs, null, factory, null);
    }

    /**
     * A node with several inputs, each partitioned as it says ({@link Input#partitioning()}); keyed (a keyed backend
     * per instance) when {@code keySerializer} is not null, which then serializes the keys of every {@link
     * Partitioning#KEY_GROUPS} input.
     */
    public PlanNode(
            int id,
            String name,
            int parallelism,
            List<Input> inputs,
            StateSerializer<?> keySerializer,
            OperatorFactory factory) {
        this(id, name, parallelism, inputs, keySerializer, factory, null);
    }

    private PlanNode(
            int id,
            String name,
            int parallelism,
            List<Input> inputs,
            StateSerializer<?> keySerializer,
            OperatorFactory factory,
            RecordSlots<?> recordSlots) {
        this.inputs = List.copyOf(inputs);
        this.input = inputs.isEmpty() ? null : inputs.get(0).node();
        this.sideOutput = inputs.isEmpty() ? null : inputs.get(0).sideOutput();
        this.recordSlots = recordSlots;
        this.id = id;
        this.name = name;
        this.parallelism = parallelism;
        this.keySerializer = keySerializer;
        this.factory = factory;
    }

    public int id() {
        return id;
    }

    public String name() {
        return name;
    }

    public int parallelism() {
        return parallelism;
    }

    /** The (first) input, or {@code null} for a source. */
    public PlanNode input() {
        return input;
    }

    /** Every input, in order: one for most operators, several for a union, none for a source. */
    public List<Input> inputs() {
        return inputs;
    }

    /**
     * True when the runtime chains this node onto its input's instances: one input, forward partitioning, the input's
     * parallelism; instance {@code i} then runs inside instance {@code i} of its input, with no ring between them.
     */
    public boolean chainsOntoInput() {
        return inputs.size() == 1 && partitioning() == Partitioning.FORWARD && parallelism == input.parallelism();
    }

    /** True when {@code producer} feeds this node through any of its inputs. */
    public boolean consumes(PlanNode producer) {
        for (Input in : inputs) {
            if (in.node() == producer) {
                return true;
            }
        }
        return false;
    }

    /** The partitioning of the (first) input; {@link Partitioning#FORWARD} for a source. See {@link #inputs()}. */
    public Partitioning partitioning() {
        return inputs.isEmpty() ? Partitioning.FORWARD : inputs.get(0).partitioning();
    }

    /** The key selector of the (first) input, or {@code null}. See {@link #inputs()}. */
    public KeySelector<?, ?> keySelector() {
        return inputs.isEmpty() ? null : inputs.get(0).keySelector();
    }

    public StateSerializer<?> keySerializer() {
        return keySerializer;
    }

    /** True when each instance has a keyed backend: the node has a key serializer. */
    public boolean isKeyed() {
        return keySerializer != null;
    }

    public boolean isSource() {
        return input == null;
    }

    public OperatorFactory factory() {
        return factory;
    }

    /** The slots the records this node emits are copied into on rings, or {@code null} (rings carry references). */
    public RecordSlots<?> recordSlots() {
        return recordSlots;
    }

    /** This node with {@code slots}; only before any node takes it as input. */
    public PlanNode withRecordSlots(RecordSlots<?> slots) {
        return new PlanNode(id, name, parallelism, inputs, keySerializer, factory, slots);
    }

    /** The side output of the input this node consumes, or {@code null} for the input's main output. */
    public OutputTag<?> sideOutput() {
        return sideOutput;
    }
}
