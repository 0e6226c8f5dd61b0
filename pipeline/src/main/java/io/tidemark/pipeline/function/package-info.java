/**
 * The user functions of the pipeline API, the bottom layer of the module: sources ({@code SourceFunction},
 * {@code SourceContext}), stateless functions ({@code MapFunction}, {@code FilterFunction}, {@code FlatMapFunction}),
 * key selectors ({@code KeySelector}, {@code LongKeySelector}), window aggregates and sinks. Keyed process functions
 * come from core ({@code io.tidemark.function}).
 *
 * <p>May import core only ({@code io.tidemark}, {@code function}, {@code backend}, {@code state}); no other pipeline
 * package.
 */
package io.tidemark.pipeline.function;
