/**
 * Job and task metrics (counters, HdrHistogram latencies), their JMX view, and the job's Prometheus registry: families
 * read at scrape time through the Prometheus client's callbacks, and the client's JVM metrics. Operator threads only
 * write plain counters and histograms here; they never call the client library.
 *
 * <p>May import HdrHistogram, JMX, the Prometheus client library and core's keyed backend SPI (for state sizes).
 */
package io.tidemark.pipeline.metrics;
