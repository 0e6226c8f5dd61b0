package io.tidemark.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.function.Collector;
import io.tidemark.function.KeyedProcessFunction;
import io.tidemark.function.RuntimeContext;
import io.tidemark.pipeline.CheckpointSettings;
import io.tidemark.pipeline.Pipeline;
import io.tidemark.pipeline.PipelineContext;
import io.tidemark.pipeline.function.SinkFunction;
import io.tidemark.pipeline.function.SourceContext;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.state.LongValueState;
import io.tidemark.state.LongValueStateDescriptor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** docs/reliability.md X3: a slow operator and full rings; checkpoints complete or time out, never deadlock. */
class BackpressureCheckpointTest {
    static final ConcurrentLinkedQueue<Long> SINK = new ConcurrentLinkedQueue<>();

    @TempDir
    Path dir;

    /**
     * One worker runs every chain, so a producer held back by a full ring can only progress by stepping the consumer
     * itself; three workers put chains of one operator on different threads.
     */
    @ParameterizedTest(name = "workers={0}")
    @ValueSource(ints = {1, 2, 3})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void slowOperatorWithFullRingsNeitherDeadlocksNorLosesRecords(int workers) throws Exception {
        SINK.clear();
        int records = 4_000;
        PipelineContext config = new PipelineContext()
                .stateDirectory(dir.resolve("w" + workers))
                .workers(workers)
                .defaultParallelism(2)
                .maxParallelism(16)
                .ringSize(8)
                .checkpointing(CheckpointSettings.defaults()
                        .withInterval(Duration.ofMillis(20))
                        .withTimeout(Duration.ofMillis(150))
                        .withTolerableFailures(1_000_000));
        // timeouts are expected here; this test is about progress, not the failure policy (CheckpointPolicyTest)
        Pipeline pipeline = new Pipeline(config);
        pipeline.source("numbers", () -> new NumberSource(records), 1)
                .map(
                        "slow",
                        (Long v) -> {
                            if (v % 4 == 0) {
                                LockSupport.parkNanos(200_000);
                            }
                            return v;
                        },
                        2)
                .keyBy((Long v) -> v % 10, LongSerializer.INSTANCE)
                .process("sum", SumPerKey::new, 2)
                .sink("collect", CollectingSink::new, 2);
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger aborted = new AtomicInteger();
        JobRunner.Result result = new JobRunner(pipeline, new JobRunner.Events() {
                    @Override
                    public void completed(long id, String location, long bytes, long durationMillis, long pause) {
                        completed.incrementAndGet();
                    }

                    @Override
                    public void aborted(long id, String reason) {
                        aborted.incrementAndGet();
                    }
                })
                .run(new JobRunner.RestoreMode.None());

        System.out.println("checkpoints completed=" + completed + " aborted=" + aborted);
        assertThat(result.restarts()).isZero();
        assertThat(completed.get()).isGreaterThanOrEqualTo(1);
        assertThat(SINK).hasSize(records);
        long expectedTotal = (long) records * (records - 1) / 2;
        assertThat(SINK.stream().mapToLong(Long::longValue).sum()).isEqualTo(expectedTotal);
    }

    static final class NumberSource extends OffsetSource<Long> {
        private final long count;

        NumberSource(long count) {
            this.count = count;
        }

        @Override
        public boolean emitNext(SourceContext<Long> ctx) {
            if (next >= count) {
                return false;
            }
            ctx.collect(next, next);
            next++;
            return true;
        }
    }

    /** Emits each value as it comes; keeps a per-key sum in keyed state. */
    static final class SumPerKey extends KeyedProcessFunction<Long, Long, Long> {
        private LongValueState sum;

        @Override
        public void open(RuntimeContext context) {
            sum = context.getState(new LongValueStateDescriptor("sum"));
        }

        @Override
        public void processElement(Long value, Context<Long> ctx, Collector<Long> out) {
            sum.add(value);
            out.collect(value);
        }
    }

    static final class CollectingSink implements SinkFunction<Long> {
        @Override
        public void invoke(Long value, long timestamp) {
            SINK.add(value);
        }
    }
}
