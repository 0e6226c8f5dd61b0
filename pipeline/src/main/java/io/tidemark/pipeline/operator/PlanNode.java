package io.tidemark.pipeline.operator;

import io.tidemark.function.OutputTag;
import io.tidemark.pipeline.function.KeySelector;
import io.tidemark.pipeline.function.RecordCopier;
import io.tidemark.serialization.StateSerializer;

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
        KEY_GROUPS
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
    private final Partitioning partitioning;
    private final KeySelector<?, ?> keySelector;
    private final StateSerializer<?> keySerializer;
    private final OperatorFactory factory;
    private final RecordSlots<?> recordSlots;
    private final OutputTag<?> sideOutput;

    /**
     * How the records a node emits cross rings when they are copied into pre-allocated slots ({@code
     * DataStream.copyRecords}); absent, rings carry references.
     */
    public record RecordSlots<T>(java.util.function.Supplier<T> factory, RecordCopier<T> copier) {}

    public PlanNode(
            int id,
            String name,
            int parallelism,
            PlanNode input,
            Partitioning partitioning,
            KeySelector<?, ?> keySelector,
            StateSerializer<?> keySerializer,
            OperatorFactory factory) {
        this(id, name, parallelism, input, partitioning, keySelector, keySerializer, factory, null, null);
    }

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
        this.recordSlots = recordSlots;
        this.sideOutput = sideOutput;
        this.id = id;
        this.name = name;
        this.parallelism = parallelism;
        this.input = input;
        this.partitioning = partitioning;
        this.keySelector = keySelector;
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

    public PlanNode input() {
        return input;
    }

    public Partitioning partitioning() {
        return partitioning;
    }

    public KeySelector<?, ?> keySelector() {
        return keySelector;
    }

    public StateSerializer<?> keySerializer() {
        return keySerializer;
    }

    public boolean isKeyed() {
        return partitioning == Partitioning.KEY_GROUPS;
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
        return new PlanNode(
                id, name, parallelism, input, partitioning, keySelector, keySerializer, factory, slots, sideOutput);
    }

    /** The side output of the input this node consumes, or {@code null} for the input's main output. */
    public OutputTag<?> sideOutput() {
        return sideOutput;
    }
}
