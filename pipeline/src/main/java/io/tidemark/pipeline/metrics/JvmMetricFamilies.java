package io.tidemark.pipeline.metrics;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * The Prometheus client's JVM and process metrics ({@code jvm_memory_*}, {@code jvm_gc_*}, {@code jvm_threads_*},
 * {@code process_*}, …) as one collector that every job's registry includes.
 *
 * <p>The JVM collectors live in one registry per process, created on first use: registering them per job would add
 * a GC notification listener per job to the JVM's collector beans and keep every job's registry reachable from the
 * client's static set of registries, long after the job ended. Any thread; a scrape allocates the snapshots.
 */
public final class JvmMetricFamilies implements MultiCollector {
    /** The one instance; stateless, it delegates to the process-wide registry. */
    public static final JvmMetricFamilies INSTANCE = new JvmMetricFamilies();

    private JvmMetricFamilies() {}

    /** Lazy holder: the JVM collectors are built when a registry is first scraped. */
    private static final class Process {
        static final PrometheusRegistry REGISTRY = jvmRegistry();

        private static PrometheusRegistry jvmRegistry() {
            PrometheusRegistry registry = new PrometheusRegistry();
            JvmMetrics.builder().register(registry);
            return registry;
        }
    }

    @Override
    public MetricSnapshots collect() {
        return Process.REGISTRY.scrape();
    }
}
