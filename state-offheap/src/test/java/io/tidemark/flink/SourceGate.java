package io.tidemark.flink;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource.NumberSequenceSplit;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiter;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;

/**
 * A source rate limit that lets the first {@code open} records of a source subtask through and then holds the source
 * for good, reporting to {@link RunReports#gateClosed}: the job stands still with a known prefix of its input taken,
 * for a savepoint whose content does not depend on timing.
 */
final class SourceGate implements RateLimiterStrategy<NumberSequenceSplit> {
    private static final long serialVersionUID = 1L;

    private final String runId;
    private final long open;

    SourceGate(String runId, long open) {
        this.runId = runId;
        this.open = open;
    }

    @Override
    public RateLimiter<NumberSequenceSplit> createRateLimiter(int parallelism) {
        return new Limiter(RunReports.of(runId), open);
    }

    private static final class Limiter implements RateLimiter<NumberSequenceSplit> {
        private static final CompletableFuture<Void> PASS = CompletableFuture.completedFuture(null);

        private final RunReports reports;
        private final CompletableFuture<Void> never = new CompletableFuture<>();
        private long left;

        Limiter(RunReports reports, long open) {
            this.reports = reports;
            this.left = open;
        }

        @Override
        public CompletionStage<Void> acquire(int permits) {
            if (left >= permits) {
                left -= permits;
                return PASS;
            }
            reports.gateClosed.complete(null);
            return never;
        }
    }
}
