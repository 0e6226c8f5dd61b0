package io.tidemark.pipeline.operator;

import io.tidemark.ConfigurationException;
import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.backend.OperatorStateBackend;
import io.tidemark.function.RuntimeContext;
import io.tidemark.pipeline.function.KeySelector;
import io.tidemark.pipeline.metrics.TaskMetrics;
import io.tidemark.pipeline.queryable.QueryTarget;
import io.tidemark.state.State;
import io.tidemark.state.StateDescriptor;

/** What an operator instance is given: identity, state backends, output and metrics. Operator thread only. */
public final class OperatorContext implements RuntimeContext {
    /** Keyed states whose names start with this are the engine's own (the timers, {@link KeyedTimers}). */
    public static final String RESERVED_STATE_PREFIX = "_";

    private final String name;
    private final int subtask;
    private final int parallelism;
    private final int maxParallelism;
    private final KeyedStateBackend<Object> keyedBackend;
    private final OperatorStateBackend operatorBackend;
    private final RecordOutput output;
    private final TaskMetrics metrics;
    private final KeySelector<Object, Object> keySelector;
    private final QueryTarget queryTarget;

    /** Runtime: the context of one operator instance, created on the caller's thread before the task starts. */
    public OperatorContext(
            String name,
            int subtask,
            int parallelism,
            int maxParallelism,
            KeyedStateBackend<Object> keyedBackend,
            OperatorStateBackend operatorBackend,
            RecordOutput output,
            TaskMetrics metrics,
            KeySelector<Object, Object> keySelector) {
        this.keySelector = keySelector;
        this.name = name;
        this.subtask = subtask;
        this.parallelism = parallelism;
        this.maxParallelism = maxParallelism;
        this.keyedBackend = keyedBackend;
        this.operatorBackend = operatorBackend;
        this.output = output;
        this.metrics = metrics;
        this.queryTarget = keyedBackend == null ? null : new QueryTarget(name, subtask, keyedBackend);
    }

    @Override
    public String operatorName() {
        return name;
    }

    @Override
    public int indexOfThisSubtask() {
        return subtask;
    }

    @Override
    public int parallelism() {
        return parallelism;
    }

    @Override
    public int maxParallelism() {
        return maxParallelism;
    }

    /**
     * The keyed state of {@code descriptor}, created on first call.
     *
     * @throws IllegalStateException on a stream that is not keyed
     * @throws ConfigurationException if the name starts with {@value #RESERVED_STATE_PREFIX}, which the engine keeps
     *     for its own keyed states
     */
    @Override
    public <S extends State> S getState(StateDescriptor<S, ?> descriptor) {
        if (keyedBackend == null) {
            throw new IllegalStateException("keyed state needs a keyed stream: operator=" + name);
        }
        if (descriptor.name().startsWith(RESERVED_STATE_PREFIX)) {
            throw new ConfigurationException("state name reserved for the engine: state=" + descriptor.name()
                    + ", operator=" + name + ", reserved prefix=" + RESERVED_STATE_PREFIX);
        }
        return queryTarget.track(descriptor, keyedBackend.getOrCreateKeyedState(descriptor));
    }

    /** The query inbox of a keyed instance, or {@code null} for operators on non-keyed streams. */
    public QueryTarget queryTarget() {
        return queryTarget;
    }

    /** The keyed backend, or {@code null} for operators on non-keyed streams. */
    public KeyedStateBackend<Object> keyedBackend() {
        return keyedBackend;
    }

    public OperatorStateBackend operatorBackend() {
        return operatorBackend;
    }

    public RecordOutput output() {
        return output;
    }

    /** The key selector of a keyed input, or {@code null}. */
    public KeySelector<Object, Object> keySelector() {
        return keySelector;
    }

    public TaskMetrics metrics() {
        return metrics;
    }
}
