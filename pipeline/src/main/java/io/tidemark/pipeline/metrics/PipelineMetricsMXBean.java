package io.tidemark.pipeline.metrics;

/** The JMX view of a running pipeline ({@code io.tidemark:type=Pipeline}). Read from any thread. */
public interface PipelineMetricsMXBean {
    long getSourceRecords();

    long getRestarts();

    int getCompletedCheckpoints();

    long getLastCheckpointId();

    long getLastCheckpointBytes();

    long getLastCheckpointDurationMillis();

    /** Every metric in the Prometheus text exposition format (the HTTP endpoint comes with queryable state). */
    String getPrometheusText();
}
