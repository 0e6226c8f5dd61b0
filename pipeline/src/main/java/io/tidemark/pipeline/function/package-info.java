/**
 * The user functions of the pipeline API, the bottom layer of the module: sources ({@code SourceFunction},
 * {@code SourceContext}), stateless functions ({@code MapFunction}, {@code FilterFunction}, {@code FlatMapFunction}),
 * key selectors ({@code KeySelector}, {@code LongKeySelector}), window aggregates and sinks, and the functions of
 * two-input operators: {@code CoProcessFunction}, {@code KeyedCoProcessFunction}, {@code BroadcastProcessFunction},
 * {@code KeyedBroadcastProcessFunction} (with {@code ReadOnlyBroadcastState} and {@code KeyedStateFunction}). Keyed
 * process functions come from core ({@code io.tidemark.function}); the keyed two-input functions' contexts extend
 * theirs.
 *
 * <p>May import core only ({@code io.tidemark}, {@code function}, {@code backend}, {@code state}); no other pipeline
 * package.
 */
package io.tidemark.pipeline.function;
