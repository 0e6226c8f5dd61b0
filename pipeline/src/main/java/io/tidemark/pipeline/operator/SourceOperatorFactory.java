package io.tidemark.pipeline.operator;

import io.tidemark.pipeline.function.SourceFunction;
import java.util.function.Supplier;

/** Creates a {@link SourceOperator} per instance. */
public final class SourceOperatorFactory<T> implements PlanNode.OperatorFactory {
    private final Supplier<? extends SourceFunction<T>> factory;

    public SourceOperatorFactory(Supplier<? extends SourceFunction<T>> factory) {
        this.factory = factory;
    }

    @Override
    public StreamOperator create() {
        return new SourceOperator<>(factory.get());
    }
}
