package io.tidemark.pipeline.operator;

import io.tidemark.ConfigurationException;
import io.tidemark.backend.NamespacedState;
import io.tidemark.function.KeyedProcessFunction;
import io.tidemark.function.KeyedStateStore;
import io.tidemark.function.OutputTag;
import io.tidemark.function.RuntimeContext;
import io.tidemark.pipeline.function.ProcessWindowFunction;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.state.State;
import io.tidemark.state.StateDescriptor;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The window a window operator is evaluating or dropping (key, bounds, the namespace of its state) and, for a
 * {@link ProcessWindowFunction}, its {@link ProcessWindowFunction.Context}: the per-window keyed state (states in the
 * window's namespace, {@link LongSerializer} namespaces as the window contents) and the global keyed state (the
 * operator's own keyed states). One instance per operator instance, set before each call. Operator thread only.
 */
final class WindowFiring<K> implements ProcessWindowFunction.Context {
    private final OperatorContext operator;
    private final boolean merging;
    private final Map<String, NamespacedState<Long>> windowStates = new HashMap<>();
    /** Names the function used for global state: a name is either per window or global, never both. */
    private final Set<String> globalNames = new HashSet<>();

    private final KeyedStateStore windowStore = this::windowStateOf;
    private final KeyedStateStore globalStore = this::globalStateOf;

    private KeyedProcessFunction.Context<K> context;
    private K key;
    private long start;
    private long end;
    private long namespace;

    /**
     * @param merging true for session windows: their windows merge, so they offer no per-window state
     */
    WindowFiring(OperatorContext operator, boolean merging) {
        this.operator = operator;
        this.merging = merging;
    }

    /** Makes window {@code [start, end)} of the current key, its state in {@code namespace}, the one evaluated. */
    void set(KeyedProcessFunction.Context<K> context, long start, long end, long namespace) {
        this.context = context;
        this.key = context.getCurrentKey();
        this.start = start;
        this.end = end;
        this.namespace = namespace;
        for (NamespacedState<Long> state : windowStates.values()) {
            state.setCurrentNamespace(namespace);
        }
    }

    K key() {
        return key;
    }

    /** What a process window function's {@code open} gets: the operator's context, recording global state names. */
    RuntimeContext runtimeContext() {
        return new RuntimeContext() {
            @Override
            public <S extends State> S getState(StateDescriptor<S, ?> descriptor) {
                return globalStateOf(descriptor);
            }

            @Override
            public String operatorName() {
                return operator.operatorName();
            }

            @Override
            public int indexOfThisSubtask() {
                return operator.indexOfThisSubtask();
            }

            @Override
            public int parallelism() {
                return operator.parallelism();
            }

            @Override
            public int maxParallelism() {
                return operator.maxParallelism();
            }
        };
    }

    @Override
    public long windowStart() {
        return start;
    }

    @Override
    public long windowEnd() {
        return end;
    }

    @Override
    public long currentWatermark() {
        return context.timerService().currentWatermark();
    }

    @Override
    public long currentProcessingTime() {
        return context.timerService().currentProcessingTime();
    }

    @Override
    public <X> void output(OutputTag<X> tag, X value) {
        context.output(tag, value);
    }

    @Override
    public KeyedStateStore windowState() {
        if (merging) {
            throw new UnsupportedOperationException("per-window state is not offered by merging (session) windows: "
                    + "operator=" + operator.operatorName());
        }
        return windowStore;
    }

    @Override
    public KeyedStateStore globalState() {
        return globalStore;
    }

    @SuppressWarnings("unchecked")
    private <S extends State> S windowStateOf(StateDescriptor<S, ?> descriptor) {
        NamespacedState<Long> state = windowStates.get(descriptor.name());
        if (state == null) {
            checkName(descriptor.name(), globalNames.contains(descriptor.name()), "global");
            state = (NamespacedState<Long>)
                    operator.keyedBackend().getOrCreateKeyedState(LongSerializer.INSTANCE, descriptor);
            windowStates.put(descriptor.name(), state);
        }
        state.setCurrentNamespace(namespace);
        return (S) state;
    }

    private <S extends State> S globalStateOf(StateDescriptor<S, ?> descriptor) {
        checkName(descriptor.name(), windowStates.containsKey(descriptor.name()), "per-window");
        globalNames.add(descriptor.name());
        return operator.getState(descriptor);
    }

    private void checkName(String name, boolean takenByOther, String other) {
        if (name.startsWith(OperatorContext.RESERVED_STATE_PREFIX)) {
            throw new ConfigurationException("state name reserved for the engine: state=" + name + ", operator="
                    + operator.operatorName() + ", reserved prefix=" + OperatorContext.RESERVED_STATE_PREFIX);
        }
        if (takenByOther) {
            throw new ConfigurationException("state name already used for " + other + " state: state=" + name
                    + ", operator=" + operator.operatorName());
        }
    }
}
