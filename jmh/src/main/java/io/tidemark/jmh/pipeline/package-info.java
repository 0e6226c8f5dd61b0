/**
 * The pipeline latency and throughput command ({@code PipelineLatency}, a main class in {@code benchmarks.jar}, issue
 * 13): a keyed counter job (generated {@code long} keys → {@code keyBy} → {@code LongValueState.add} → sink) offered
 * load open-loop at a fixed rate, per-record latency from the record's intended emission time to the sink in
 * HdrHistogram; and market-stats throughput on its generated input. Both with checkpoints running or not. Results and
 * the command in {@code docs/benchmarks.md}.
 *
 * <p>May import the public pipeline API ({@code io.tidemark.pipeline}, its {@code function} and {@code marketstats}
 * packages, {@code runtime.JobRunner}), core, HdrHistogram and {@code io.tidemark.jmh}; never the pipeline runtime's
 * internals.
 */
package io.tidemark.jmh.pipeline;
