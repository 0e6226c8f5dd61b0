package io.tidemark.function;

/** What an operator instance knows about itself and where it finds its state. */
public interface RuntimeContext extends KeyedStateStore {
    String operatorName();

    int indexOfThisSubtask();

    int parallelism();

    int maxParallelism();
}
