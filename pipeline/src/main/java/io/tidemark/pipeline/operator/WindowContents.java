package io.tidemark.pipeline.operator;

import io.tidemark.backend.MergingState;
import io.tidemark.backend.NamespacedState;
import io.tidemark.function.Collector;
import io.tidemark.pipeline.function.MergingWindowAggregate;
import io.tidemark.pipeline.function.ProcessWindowFunction;
import io.tidemark.pipeline.function.WindowAggregate;
import io.tidemark.pipeline.function.WindowProcessing;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.serialization.StateSerializer;
import io.tidemark.state.AggregateFunction;
import io.tidemark.state.AggregatingState;
import io.tidemark.state.AggregatingStateDescriptor;
import io.tidemark.state.ListState;
import io.tidemark.state.ListStateDescriptor;
import io.tidemark.state.State;
import io.tidemark.state.StateDescriptor;
import io.tidemark.state.ValueState;
import io.tidemark.state.ValueStateDescriptor;
import java.util.Collection;
import java.util.Collections;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;

/**
 * What a window operator keeps per key and window, and how a window's result is emitted: keyed state of the operator's
 * backend in a {@code Long} namespace (the window's), one of
 *
 * <ul>
 *   <li>a {@link WindowAggregate}'s accumulator, value state {@value #ACCUMULATOR} (tumbling and sliding windows;
 *       the state of earlier versions, unchanged);
 *   <li>an accumulator of a {@link MergingWindowAggregate} or of the {@link AggregateFunction} of
 *       {@link WindowProcessing#aggregate}, aggregating state {@value #AGGREGATE} (the backend merges it);
 *   <li>the elements for a {@link ProcessWindowFunction} alone, list state {@value #ELEMENTS} (the backend merges it
 *       by concatenation).
 * </ul>
 *
 * Operator thread only.
 */
abstract class WindowContents<K, IN, OUT> {
    static final String ACCUMULATOR = "window-accumulator";
    static final String AGGREGATE = "_window_aggregate";
    static final String ELEMENTS = "_window_elements";

    /** Registers the state (a restored one binds to what the backend restored) and opens the user function. */
    abstract void open(OperatorContext context, WindowFiring<K> firing) throws Exception;

    /** Makes the window whose state is in {@code namespace} current. */
    abstract void select(long namespace);

    /** Adds {@code value} to the current window. */
    abstract void add(IN value) throws Exception;

    /** Emits the result of the current window, described by {@code firing}; false (nothing emitted) when it is empty. */
    abstract boolean emit(WindowFiring<K> firing, Collector<OUT> out) throws Exception;

    /** True when the current window holds nothing. Reads the whole window for element lists. */
    abstract boolean isEmpty();

    /** Drops the current window's state; a process window function first clears its per-window state. */
    void purge(WindowFiring<K> firing) throws Exception {
        state().clear();
    }

    /** Merges the states of windows {@code sources} into window {@code target}, in the backend. */
    @SuppressWarnings("unchecked")
    void merge(long target, Collection<Long> sources) {
        ((MergingState<Long>) state()).mergeNamespaces(target, sources);
    }

    void close() throws Exception {}

    abstract State state();

    /** The contents of tumbling and sliding windows with a {@link WindowAggregate}. */
    static <K, IN, ACC, OUT> WindowContents<K, IN, OUT> of(WindowAggregate<K, IN, ACC, OUT> aggregate) {
        return new Accumulator<>(aggregate);
    }

    /** The contents of session windows with a {@link MergingWindowAggregate}: mergeable. */
    static <K, IN, ACC, OUT> WindowContents<K, IN, OUT> merging(MergingWindowAggregate<K, IN, ACC, OUT> aggregate) {
        return new MergingAccumulator<>(aggregate);
    }

    /** The contents of windows evaluated by a {@link ProcessWindowFunction}: mergeable. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static <K, IN, OUT> WindowContents<K, IN, OUT> of(WindowProcessing<K, IN, OUT> processing) {
        if (processing instanceof WindowProcessing.Elements<K, IN, OUT> elements) {
            return new Elements<>(elements.function().get(), elements.elementSerializer());
        }
        WindowProcessing.Aggregated aggregated = (WindowProcessing.Aggregated) processing;
        return new Aggregated<>(
                (AggregateFunction) aggregated.aggregate().get(),
                aggregated.accumulatorSerializer(),
                (ProcessWindowFunction) aggregated.function().get());
    }

    /** An {@link AggregateFunction} whose result is its accumulator: so an empty window reads as {@code null}. */
    private record AccumulatorOf<IN, ACC>(Supplier<ACC> create, BiFunction<IN, ACC, ACC> add, BinaryOperator<ACC> merge)
            implements AggregateFunction<IN, ACC, ACC> {
        @Override
        public ACC createAccumulator() {
            return create.get();
        }

        @Override
        public ACC add(IN value, ACC accumulator) {
            return add.apply(value, accumulator);
        }

        @Override
        public ACC getResult(ACC accumulator) {
            return accumulator;
        }

        @Override
        public ACC merge(ACC a, ACC b) {
            return merge.apply(a, b);
        }
    }

    @SuppressWarnings("unchecked")
    private static <S> S register(OperatorContext context, StateDescriptor<?, ?> descriptor) {
        return (S) context.keyedBackend().getOrCreateKeyedState(LongSerializer.INSTANCE, descriptor);
    }

    private static final class Accumulator<K, IN, ACC, OUT> extends WindowContents<K, IN, OUT> {
        private final WindowAggregate<K, IN, ACC, OUT> aggregate;
        private ValueState<ACC> accumulator;
        private NamespacedState<Long> namespace;

        Accumulator(WindowAggregate<K, IN, ACC, OUT> aggregate) {
            this.aggregate = aggregate;
        }

        @Override
        @SuppressWarnings("unchecked")
        void open(OperatorContext context, WindowFiring<K> firing) {
            accumulator = register(context, new ValueStateDescriptor<>(ACCUMULATOR, aggregate.accumulatorSerializer()));
            namespace = (NamespacedState<Long>) accumulator;
        }

        @Override
        void select(long window) {
            namespace.setCurrentNamespace(window);
        }

        @Override
        void add(IN value) {
            ACC acc = accumulator.value();
            accumulator.update(aggregate.add(value, acc == null ? aggregate.createAccumulator() : acc));
        }

        @Override
        boolean emit(WindowFiring<K> firing, Collector<OUT> out) {
            ACC acc = accumulator.value();
            if (acc == null) {
                return false;
            }
            out.collect(aggregate.result(firing.key(), firing.windowStart(), firing.windowEnd(), acc));
            return true;
        }

        @Override
        boolean isEmpty() {
            return accumulator.value() == null;
        }

        @Override
        void merge(long target, Collection<Long> sources) {
            throw new UnsupportedOperationException("a window aggregate without merge cannot merge windows");
        }

        @Override
        State state() {
            return accumulator;
        }
    }

    private static final class MergingAccumulator<K, IN, ACC, OUT> extends WindowContents<K, IN, OUT> {
        private final MergingWindowAggregate<K, IN, ACC, OUT> aggregate;
        private AggregatingState<IN, ACC> accumulator;
        private NamespacedState<Long> namespace;

        MergingAccumulator(MergingWindowAggregate<K, IN, ACC, OUT> aggregate) {
            this.aggregate = aggregate;
        }

        @Override
        @SuppressWarnings("unchecked")
        void open(OperatorContext context, WindowFiring<K> firing) {
            AccumulatorOf<IN, ACC> function =
                    new AccumulatorOf<>(aggregate::createAccumulator, aggregate::add, aggregate::merge);
            accumulator = register(
                    context, new AggregatingStateDescriptor<>(AGGREGATE, function, aggregate.accumulatorSerializer()));
            namespace = (NamespacedState<Long>) accumulator;
        }

        @Override
        void select(long window) {
            namespace.setCurrentNamespace(window);
        }

        @Override
        void add(IN value) {
            accumulator.add(value);
        }

        @Override
        boolean emit(WindowFiring<K> firing, Collector<OUT> out) {
            ACC acc = accumulator.get();
            if (acc == null) {
                return false;
            }
            out.collect(aggregate.result(firing.key(), firing.windowStart(), firing.windowEnd(), acc));
            return true;
        }

        @Override
        boolean isEmpty() {
            return accumulator.get() == null;
        }

        @Override
        State state() {
            return accumulator;
        }
    }

    /** Contents handed to a {@link ProcessWindowFunction}: its open, clear and close are called here. */
    private abstract static class Processed<K, IN, R, OUT> extends WindowContents<K, IN, OUT> {
        final ProcessWindowFunction<R, OUT, K> function;

        Processed(ProcessWindowFunction<R, OUT, K> function) {
            this.function = function;
        }

        @Override
        void open(OperatorContext context, WindowFiring<K> firing) throws Exception {
            function.open(firing.runtimeContext());
        }

        @Override
        void purge(WindowFiring<K> firing) throws Exception {
            function.clear(firing);
            super.purge(firing);
        }

        @Override
        void close() throws Exception {
            function.close();
        }
    }

    private static final class Elements<K, IN, OUT> extends Processed<K, IN, IN, OUT> {
        private final StateSerializer<IN> serializer;
        private ListState<IN> elements;
        private NamespacedState<Long> namespace;

        Elements(ProcessWindowFunction<IN, OUT, K> function, StateSerializer<IN> serializer) {
            super(function);
            this.serializer = serializer;
        }

        @Override
        @SuppressWarnings("unchecked")
        void open(OperatorContext context, WindowFiring<K> firing) throws Exception {
            elements = register(context, new ListStateDescriptor<>(ELEMENTS, serializer));
            namespace = (NamespacedState<Long>) elements;
            super.open(context, firing);
        }

        @Override
        void select(long window) {
            namespace.setCurrentNamespace(window);
        }

        @Override
        void add(IN value) {
            elements.add(value);
        }

        @Override
        boolean emit(WindowFiring<K> firing, Collector<OUT> out) throws Exception {
            Iterable<IN> all = elements.get();
            if (!all.iterator().hasNext()) {
                return false;
            }
            function.process(firing.key(), firing, all, out);
            return true;
        }

        @Override
        boolean isEmpty() {
            return !elements.get().iterator().hasNext();
        }

        @Override
        State state() {
            return elements;
        }
    }

    private static final class Aggregated<K, IN, ACC, R, OUT> extends Processed<K, IN, R, OUT> {
        private final AggregateFunction<IN, ACC, R> aggregate;
        private final StateSerializer<ACC> serializer;
        private AggregatingState<IN, ACC> accumulator;
        private NamespacedState<Long> namespace;

        Aggregated(
                AggregateFunction<IN, ACC, R> aggregate,
                StateSerializer<ACC> serializer,
                ProcessWindowFunction<R, OUT, K> function) {
            super(function);
            this.aggregate = aggregate;
            this.serializer = serializer;
        }

        @Override
        @SuppressWarnings("unchecked")
        void open(OperatorContext context, WindowFiring<K> firing) throws Exception {
            AccumulatorOf<IN, ACC> function =
                    new AccumulatorOf<>(aggregate::createAccumulator, aggregate::add, aggregate::merge);
            accumulator = register(context, new AggregatingStateDescriptor<>(AGGREGATE, function, serializer));
            namespace = (NamespacedState<Long>) accumulator;
            super.open(context, firing);
        }

        @Override
        void select(long window) {
            namespace.setCurrentNamespace(window);
        }

        @Override
        void add(IN value) {
            accumulator.add(value);
        }

        @Override
        boolean emit(WindowFiring<K> firing, Collector<OUT> out) throws Exception {
            ACC acc = accumulator.get();
            if (acc == null) {
                return false;
            }
            function.process(firing.key(), firing, Collections.singletonList(aggregate.getResult(acc)), out);
            return true;
        }

        @Override
        boolean isEmpty() {
            return accumulator.get() == null;
        }

        @Override
        State state() {
            return accumulator;
        }
    }
}
