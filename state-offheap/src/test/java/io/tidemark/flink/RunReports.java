package io.tidemark.flink;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a job's operators report back to the test that started it. Flink serializes the operators and runs them on
 * the MiniCluster's task threads in this JVM, so they find their run's report through a static map, by the run id
 * they were built with. A test takes a fresh id per job.
 */
final class RunReports {
    private static final ConcurrentHashMap<String, RunReports> RUNS = new ConcurrentHashMap<>();

    /** Set by the one injected failure of the run. */
    final AtomicBoolean failed = new AtomicBoolean();

    /** Set when a keyed operator instance started from a checkpoint or savepoint. */
    final AtomicBoolean restored = new AtomicBoolean();

    /** Class names of the keyed state backends the keyed operator instances ran on. */
    final Set<String> keyedBackends = ConcurrentHashMap.newKeySet();

    /** Completed when the source's gate closes ({@link SourceGate}). */
    final CompletableFuture<Void> gateClosed = new CompletableFuture<>();

    /** Completed when a window timer fired: the watermark has moved and there is output to commit. */
    final CompletableFuture<Void> windowFired = new CompletableFuture<>();

    /** Completed when a keyed operator instance is told of a completed checkpoint: every task of the job runs. */
    final CompletableFuture<Void> checkpointCompleted = new CompletableFuture<>();

    private RunReports() {}

    static RunReports of(String runId) {
        return RUNS.computeIfAbsent(runId, id -> new RunReports());
    }

    static void forget(String runId) {
        RUNS.remove(runId);
    }
}
