package io.tidemark.state;

/** Combines two values into one; must be associative. Called on the operator thread. */
@FunctionalInterface
public interface ReduceFunction<T> {
    T reduce(T accumulated, T value);
}
