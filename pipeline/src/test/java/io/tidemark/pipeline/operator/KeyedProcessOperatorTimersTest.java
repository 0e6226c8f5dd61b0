package io.tidemark.pipeline.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.ConfigurationException;
import io.tidemark.IncompatibleStateException;
import io.tidemark.backend.OperatorStateBackend;
import io.tidemark.backend.StateBackend;
import io.tidemark.backend.heap.HeapStateBackend;
import io.tidemark.backend.snapshot.InMemorySnapshotStorage;
import io.tidemark.backend.snapshot.OperatorStateHandle;
import io.tidemark.backend.snapshot.SnapshotKind;
import io.tidemark.function.TimeDomain;
import io.tidemark.keygroup.KeyGroupAssignment;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.pipeline.operator.TimerRecorder.Command;
import io.tidemark.pipeline.operator.TimerRecorder.Fired;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.serialization.StringSerializer;
import io.tidemark.state.ListStateDescriptor;
import io.tidemark.state.MapStateDescriptor;
import io.tidemark.state.ValueStateDescriptor;
import io.tidemark.state.chronicle.ChronicleStateBackend;
import io.tidemark.state.offheap.OffHeapStateBackend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Timers of {@link KeyedProcessOperator} as keyed state: firing, deduplication, checkpoints, rescaling. */
class KeyedProcessOperatorTimersTest {
    /** Processing-time timers at this time are due at the first {@code onIdle}. */
    private static final long DUE = 5;

    @TempDir
    Path directory;

    private final InMemorySnapshotStorage storage = new InMemorySnapshotStorage();
    private int instances;

    private static StateBackend backend(String name) {
        return switch (name) {
            case HeapStateBackend.NAME -> new HeapStateBackend();
            case OffHeapStateBackend.NAME -> new OffHeapStateBackend();
            case ChronicleStateBackend.NAME -> new ChronicleStateBackend();
            default -> throw new IllegalArgumentException(name);
        };
    }

    private TimerOperatorFixture fixture(
            StateBackend backend, KeyGroupRange range, TimerOperatorFixture.Snapshot... restoredFrom) throws Exception {
        return fixture(backend, range, new ArrayList<>(), restoredFrom);
    }

    private TimerOperatorFixture fixture(
            StateBackend backend, KeyGroupRange range, List<Fired> fired, TimerOperatorFixture.Snapshot... restoredFrom)
            throws Exception {
        List<io.tidemark.backend.snapshot.KeyedStateHandle> keyed = null;
        List<OperatorStateHandle> operator = null;
        if (restoredFrom.length > 0) {
            keyed = new ArrayList<>();
            operator = new ArrayList<>();
            for (TimerOperatorFixture.Snapshot snapshot : restoredFrom) {
                keyed.add(snapshot.keyed());
                operator.add(snapshot.operator());
            }
        }
        return new TimerOperatorFixture(
                backend, directory.resolve("instance-" + instances++), range, storage, keyed, operator, fired::add);
    }

    private static KeyGroupRange all() {
        return KeyGroupRange.all(TimerOperatorFixture.MAX_PARALLELISM);
    }

    @ParameterizedTest
    @ValueSource(strings = {HeapStateBackend.NAME, OffHeapStateBackend.NAME, ChronicleStateBackend.NAME})
    void timersFireInTimeOrderWithTheirKeyOncePerKeyTimeAndDomain(String backendName) throws Exception {
        List<Fired> fired = new ArrayList<>();
        try (TimerOperatorFixture f = fixture(backend(backendName), all(), fired)) {
            f.process(Command.register(1, 30, true));
            f.process(Command.register(2, 10, true));
            f.process(Command.register(1, 30, true)); // duplicate
            f.process(Command.register(2, 20, true));
            f.process(Command.register(3, 20, true));
            f.process(Command.register(3, 40, true));
            f.process(Command.delete(3, 40, true));
            f.process(Command.delete(3, 41, true)); // absent
            f.process(Command.register(1, DUE, false));
            f.process(Command.register(1, DUE, false)); // duplicate
            f.process(Command.register(1, 30, false)); // other domain, same time as an event-time timer
            f.process(Command.register(4, Long.MAX_VALUE, false)); // never due
            assertThat(f.operator.timerCount()).isEqualTo(7);

            f.operator.processWatermark(20, null);
            assertThat(fired).containsExactly(new Fired(2, 10, TimeDomain.EVENT_TIME));
            f.operator.processWatermark(Long.MAX_VALUE, null);
            assertThat(fired.subList(1, 4))
                    .containsExactlyInAnyOrder(
                            new Fired(2, 20, TimeDomain.EVENT_TIME),
                            new Fired(3, 20, TimeDomain.EVENT_TIME),
                            new Fired(1, 30, TimeDomain.EVENT_TIME));
            assertThat(fired.get(3)).isEqualTo(new Fired(1, 30, TimeDomain.EVENT_TIME));
            assertThat(fired).hasSize(4);

            f.operator.onIdle();
            assertThat(fired.subList(4, fired.size()))
                    .containsExactly(
                            new Fired(1, DUE, TimeDomain.PROCESSING_TIME),
                            new Fired(1, 30, TimeDomain.PROCESSING_TIME));
            assertThat(f.operator.timerCount()).isEqualTo(1);
            f.keyed.forEachKey(KeyedTimers.EVENT_TIME_STATE, key -> {
                throw new AssertionError("fired timers stay in the keyed state: key=" + key);
            });
            List<Object> pending = new ArrayList<>();
            f.keyed.forEachKey(KeyedTimers.PROCESSING_TIME_STATE, pending::add);
            assertThat(pending).containsExactly(4L);
        }
    }

    /**
     * A million timers: the operator's synchronous checkpoint part writes no operator state for them (the timers are
     * keyed state, which the backend snapshots like any other), and the keyed snapshot alone brings every timer back
     * with its key.
     */
    @ParameterizedTest
    @ValueSource(strings = {"FULL", "INCREMENTAL"})
    void aMillionTimersAreKeyedStateAndNoOperatorState(String kind) throws Exception {
        int keys = 100_000;
        int timesPerKey = 10;
        StateBackend backend = new OffHeapStateBackend();
        TimerOperatorFixture.Snapshot snapshot;
        try (TimerOperatorFixture f = fixture(backend, all())) {
            for (int time = 0; time < timesPerKey; time++) {
                for (long key = 0; key < keys; key++) {
                    f.process(Command.register(key, time, true));
                }
            }
            assertThat(f.operator.timerCount()).isEqualTo(keys * timesPerKey);
            snapshot = f.snapshot(1, SnapshotKind.valueOf(kind), storage);
            assertThat(f.operatorState.stateNames()).isEmpty();
        }
        OperatorStateBackend written = new HeapStateBackend().createOperatorStateBackend("timers");
        written.restore(List.of(snapshot.operator()), storage.reader(), 0, 1);
        assertThat(written.stateNames())
                .as("operator state written by the checkpoint")
                .isEmpty();

        BitSet seen = new BitSet(keys * timesPerKey);
        long[] last = {Long.MIN_VALUE};
        int[] count = {0};
        TimerOperatorFixture restored = new TimerOperatorFixture(
                backend,
                directory.resolve("restored"),
                all(),
                storage,
                List.of(snapshot.keyed()),
                List.of(snapshot.operator()),
                timer -> {
                    assertThat(timer.time()).isGreaterThanOrEqualTo(last[0]);
                    last[0] = timer.time();
                    int index = (int) (timer.time() * keys + timer.key());
                    assertThat(seen.get(index)).as("fired twice: %s", timer).isFalse();
                    seen.set(index);
                    count[0]++;
                });
        try (restored) {
            assertThat(restored.operator.timerCount()).isEqualTo(keys * timesPerKey);
            restored.operator.processWatermark(Long.MAX_VALUE, null);
        }
        assertThat(count[0]).isEqualTo(keys * timesPerKey);
        assertThat(seen.cardinality()).isEqualTo(keys * timesPerKey);
    }

    /**
     * Timers written at one parallelism and restored at another fire exactly once each, in the instance that owns
     * their key, with that key current; deleted timers stay deleted.
     */
    @ParameterizedTest
    @ValueSource(strings = {HeapStateBackend.NAME, OffHeapStateBackend.NAME, ChronicleStateBackend.NAME})
    void restoreAtAnotherParallelismFiresEachTimerOnceWithItsKey(String backendName) throws Exception {
        StateBackend backend = backend(backendName);
        int keys = 2_000;
        for (int[] rescale : new int[][] {{1, 3}, {3, 2}}) {
            Map<Fired, Integer> expected = new HashMap<>();
            List<TimerOperatorFixture.Snapshot> snapshots = new ArrayList<>();
            for (KeyGroupRange range : ranges(rescale[0])) {
                try (TimerOperatorFixture f = fixture(backend, range)) {
                    for (long key = 0; key < keys; key++) {
                        if (!owns(range, key)) {
                            continue;
                        }
                        f.process(Command.register(key, key % 7, true));
                        f.process(Command.register(key, 100 + key % 3, true));
                        f.process(Command.register(key, DUE, false));
                        expected.put(new Fired(key, key % 7, TimeDomain.EVENT_TIME), 1);
                        expected.put(new Fired(key, DUE, TimeDomain.PROCESSING_TIME), 1);
                        if (key % 5 == 0) {
                            f.process(Command.delete(key, 100 + key % 3, true));
                        } else {
                            expected.put(new Fired(key, 100 + key % 3, TimeDomain.EVENT_TIME), 1);
                        }
                    }
                    snapshots.add(f.snapshot(1, SnapshotKind.CANONICAL, storage));
                }
            }
            Map<Fired, Integer> actual = new HashMap<>();
            for (KeyGroupRange range : ranges(rescale[1])) {
                List<Fired> fired = new ArrayList<>();
                try (TimerOperatorFixture f =
                        fixture(backend, range, fired, snapshots.toArray(new TimerOperatorFixture.Snapshot[0]))) {
                    f.operator.processWatermark(Long.MAX_VALUE, null);
                    f.operator.onIdle();
                    assertThat(f.operator.timerCount()).isZero();
                }
                for (Fired timer : fired) {
                    assertThat(owns(range, timer.key()))
                            .as("%s fired in %s", timer, range)
                            .isTrue();
                    actual.merge(timer, 1, Integer::sum);
                }
            }
            assertThat(actual).as("%d -> %d", rescale[0], rescale[1]).isEqualTo(expected);
        }
    }

    @Test
    void aCheckpointWithTheUnionListTimerStateOfAnOlderVersionIsRefused() throws Exception {
        StateBackend backend = new HeapStateBackend();
        OperatorStateBackend old = backend.createOperatorStateBackend("timers");
        old.getUnionListState(
                        new ListStateDescriptor<>(KeyedProcessOperator.UNION_TIMER_STATE, StringSerializer.INSTANCE))
                .add("a timer as an older version wrote it");
        OperatorStateHandle handle = old.snapshot(1, storage).call();
        var keyed = backend.createKeyedStateBackend(io.tidemark.backend.KeyedBackendParameters.allKeyGroups(
                        "timers", LongSerializer.INSTANCE, TimerOperatorFixture.MAX_PARALLELISM))
                .snapshot(1, SnapshotKind.CANONICAL, storage)
                .call();
        assertThatThrownBy(() -> fixture(backend, all(), new TimerOperatorFixture.Snapshot(keyed, handle)))
                .isInstanceOf(IncompatibleStateException.class)
                .hasMessageContaining("state=_timers")
                .hasMessageContaining("operator=timers")
                .hasMessageContaining("SavepointTransform.dropOperatorState");
    }

    @Test
    void userStatesCannotTakeTheEnginesNames() throws Exception {
        try (TimerOperatorFixture f = fixture(new HeapStateBackend(), all())) {
            OperatorContext context = f.context;
            assertThatThrownBy(() -> context.getState(new MapStateDescriptor<>(
                            KeyedTimers.EVENT_TIME_STATE, LongSerializer.INSTANCE, LongSerializer.INSTANCE)))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("state=_timers_event");
            assertThatThrownBy(() -> context.getState(new ValueStateDescriptor<>("_mine", LongSerializer.INSTANCE)))
                    .isInstanceOf(ConfigurationException.class);
            assertThat(context.getState(new ValueStateDescriptor<>("mine_", LongSerializer.INSTANCE)))
                    .isNotNull();
        }
    }

    private static List<KeyGroupRange> ranges(int parallelism) {
        List<KeyGroupRange> ranges = new ArrayList<>();
        for (int index = 0; index < parallelism; index++) {
            ranges.add(KeyGroupAssignment.computeKeyGroupRangeForOperatorIndex(
                    TimerOperatorFixture.MAX_PARALLELISM, parallelism, index));
        }
        return ranges;
    }

    private static boolean owns(KeyGroupRange range, long key) {
        return range.contains(KeyGroupAssignment.assignToKeyGroup(key, TimerOperatorFixture.MAX_PARALLELISM));
    }
}
