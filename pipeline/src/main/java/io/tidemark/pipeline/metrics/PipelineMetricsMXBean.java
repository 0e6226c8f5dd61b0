package io.tidemark.pipeline.metrics;

/** The JMX view of a running pipeline ({@code io.tidemark:type=Pipeline}). Read from any thread. */
public interface PipelineMetricsMXBean {
    long getSourceRecords();

    long getRestarts();

    int getCompletedCheckpoints();

    long getLastCheckpointId();

    long getLastCheckpointBytes();

    long getLastCheckpointDurationMillis();

    /**
     * The job's registry in the Prometheus text exposition format, as {@code GET /metrics} answers it on the control
     * port (rendered by the Prometheus client library).
     */
    String getPrometheusText();
}
