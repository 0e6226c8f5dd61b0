package io.tidemark.pipeline.cli;

import io.tidemark.backend.OperatorStateStore;
import io.tidemark.pipeline.Pipeline;
import io.tidemark.pipeline.PipelineContext;
import io.tidemark.pipeline.PipelineProgram;
import io.tidemark.pipeline.connectors.TwoPhaseFileSink;
import io.tidemark.pipeline.function.SourceContext;
import io.tidemark.pipeline.function.SourceFunction;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.state.ListState;
import io.tidemark.state.ListStateDescriptor;
import java.nio.file.Path;
import java.util.List;

/** A user job run by class name: the squares of 0..N-1 ({@code --input N}) into exactly-once part files. */
public final class SquaresProgram implements PipelineProgram {
    @Override
    public Pipeline build(PipelineContext config, String input, Path output, int parallelism) {
        long count = Long.parseLong(input);
        Pipeline pipeline = new Pipeline(config);
        pipeline.source("numbers", () -> new Numbers(count), 1)
                .map("square", (Long v) -> v * v, parallelism)
                .sink("out", () -> new TwoPhaseFileSink<Long>(output, String::valueOf), parallelism);
        return pipeline;
    }

    static final class Numbers implements SourceFunction<Long> {
        private final long count;
        private ListState<Long> offset;
        private long next;

        Numbers(long count) {
            this.count = count;
        }

        @Override
        public void initializeState(OperatorStateStore store, boolean restored) {
            offset = store.getListState(new ListStateDescriptor<>("offset", LongSerializer.INSTANCE));
            for (Long o : offset.get()) {
                next = o;
            }
        }

        @Override
        public void snapshotState(long checkpointId) {
            offset.update(List.of(next));
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
}
