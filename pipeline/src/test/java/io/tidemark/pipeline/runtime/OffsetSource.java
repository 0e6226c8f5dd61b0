package io.tidemark.pipeline.runtime;

import io.tidemark.backend.OperatorStateStore;
import io.tidemark.pipeline.function.SourceFunction;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.state.ListState;
import io.tidemark.state.ListStateDescriptor;
import java.util.List;

/**
 * The test sources' common part: a position, {@link #next}, checkpointed as the operator list state {@code offset} and
 * restored from it, so that a restored source resumes where its last completed checkpoint left it.
 */
abstract class OffsetSource<T> implements SourceFunction<T> {
    private ListState<Long> offset;
    /** The next position to emit: 0 at the start, the checkpointed one after a restore. */
    protected long next;

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
}
