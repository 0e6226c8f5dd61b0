/**
 * Job and task metrics (counters, HdrHistogram latencies) and their JMX view.
 *
 * <p>May import HdrHistogram and JMX only.
 */
package io.tidemark.pipeline.metrics;
