package io.tidemark.backend.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.backend.OperatorStateBackend;
import io.tidemark.backend.StateBackend;
import io.tidemark.backend.snapshot.InMemorySnapshotStorage;
import io.tidemark.backend.snapshot.OperatorStateHandle;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.serialization.StringSerializer;
import io.tidemark.state.ListState;
import io.tidemark.state.ListStateDescriptor;
import io.tidemark.state.MapState;
import io.tidemark.state.MapStateDescriptor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Operator state redistribution, run by every backend module through its {@link StateBackend}. */
public abstract class OperatorStateConformance {
    private final InMemorySnapshotStorage storage = new InMemorySnapshotStorage();

    protected abstract StateBackend stateBackend();

    private List<OperatorStateHandle> snapshotOldInstances(int parallelism) throws Exception {
        List<OperatorStateHandle> handles = new ArrayList<>();
        for (int index = 0; index < parallelism; index++) {
            OperatorStateBackend backend = stateBackend().createOperatorStateBackend("src");
            ListState<Long> offsets =
                    backend.getListState(new ListStateDescriptor<>("offsets", LongSerializer.INSTANCE));
            ListState<String> everywhere =
                    backend.getUnionListState(new ListStateDescriptor<>("union", StringSerializer.INSTANCE));
            MapState<String, Long> rules = backend.getBroadcastState(
                    new MapStateDescriptor<>("rules", StringSerializer.INSTANCE, LongSerializer.INSTANCE));
            for (long i = 0; i < 10; i++) {
                offsets.add(index * 100L + i);
            }
            everywhere.add("from-" + index);
            rules.put("limit", 5L);
            handles.add(backend.snapshot(1, storage).call());
            backend.close();
        }
        return handles;
    }

    @Test
    void evenSplitGivesEveryElementToExactlyOneInstance() throws Exception {
        for (int from : new int[] {1, 3}) {
            List<OperatorStateHandle> handles = snapshotOldInstances(from);
            for (int to : new int[] {1, 2, 4, 7}) {
                List<Long> all = new ArrayList<>();
                for (int index = 0; index < to; index++) {
                    OperatorStateBackend backend = stateBackend().createOperatorStateBackend("src");
                    backend.restore(handles, storage.reader(), index, to);
                    ListState<Long> offsets =
                            backend.getListState(new ListStateDescriptor<>("offsets", LongSerializer.INSTANCE));
                    List<Long> mine = new ArrayList<>();
                    offsets.get().forEach(mine::add);
                    assertThat(mine.size()).isBetween(10 * from / to, 10 * from / to + 1);
                    all.addAll(mine);
                    backend.close();
                }
                List<Long> expected = new ArrayList<>();
                for (int index = 0; index < from; index++) {
                    for (long i = 0; i < 10; i++) {
                        expected.add(index * 100L + i);
                    }
                }
                assertThat(all).as("%d -> %d", from, to).containsExactlyElementsOf(expected);
            }
        }
    }

    @Test
    void unionAndBroadcastGiveEveryInstanceEverything() throws Exception {
        List<OperatorStateHandle> handles = snapshotOldInstances(3);
        for (int index = 0; index < 2; index++) {
            OperatorStateBackend backend = stateBackend().createOperatorStateBackend("src");
            backend.restore(handles, storage.reader(), index, 2);
            ListState<String> union =
                    backend.getUnionListState(new ListStateDescriptor<>("union", StringSerializer.INSTANCE));
            MapState<String, Long> rules = backend.getBroadcastState(
                    new MapStateDescriptor<>("rules", StringSerializer.INSTANCE, LongSerializer.INSTANCE));
            assertThat(union.get()).containsExactly("from-0", "from-1", "from-2");
            assertThat(rules.get("limit")).isEqualTo(5L);
            backend.close();
        }
    }
}
