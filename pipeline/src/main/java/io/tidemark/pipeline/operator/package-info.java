/**
 * Operators: what runs a user function inside one operator instance ({@code StreamOperator} and its implementations
 * for sources, stateless functions, keyed process functions with timers, tumbling windows and sinks), the operators
 * with two inputs ({@code TwoInputOperator}: co-process and broadcast process operators, keyed and not, with the
 * {@code BroadcastStates} they keep and the {@code KeyedTimerContext} the keyed ones share), the timers of
 * a keyed instance ({@code KeyedTimers}: keyed state of its backend, ordered for firing by a {@code TimerHeap}), the
 * instance's {@code OperatorContext} and {@code RecordOutput}, and the logical plan the API builds ({@code PlanNode}).
 * The runtime creates the contexts and implements {@code RecordOutput.Edge} with its channels.
 *
 * <p>May import core, {@code pipeline.function}, {@code pipeline.metrics} and {@code pipeline.queryable}; never the
 * API ({@code io.tidemark.pipeline}), the runtime or anything above them.
 */
package io.tidemark.pipeline.operator;
