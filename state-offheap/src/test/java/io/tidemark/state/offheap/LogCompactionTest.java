package io.tidemark.state.offheap;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.backend.KeyedBackendParameters;
import io.tidemark.backend.conformance.ManualClock;
import io.tidemark.backend.snapshot.InMemorySnapshotStorage;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.SnapshotKind;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.serialization.StringSerializer;
import io.tidemark.state.ListState;
import io.tidemark.state.ListStateDescriptor;
import io.tidemark.state.MapState;
import io.tidemark.state.MapStateDescriptor;
import io.tidemark.state.StateTtlConfig;
import io.tidemark.state.ValueState;
import io.tidemark.state.ValueStateDescriptor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction of the log: churn keeps the log near its live size while every state still reads right (and restores
 * right from checkpoints taken across compactions); TTL entries that expire and are never read again leave the log
 * and the next checkpoint.
 */
class LogCompactionTest {
    private static final int MAX_PARALLELISM = 16;
    private static final long SEGMENT = 16 * 1024;

    @TempDir
    Path directory;

    private final InMemorySnapshotStorage storage = new InMemorySnapshotStorage();

    private OffHeapKeyedStateBackend<Long> backend(String name, ManualClock clock) {
        return (OffHeapKeyedStateBackend<Long>) new OffHeapStateBackend(TestBackends.smallContext())
                .createKeyedStateBackend(new KeyedBackendParameters<>(
                        "op",
                        LongSerializer.INSTANCE,
                        MAX_PARALLELISM,
                        KeyGroupRange.all(MAX_PARALLELISM),
                        clock,
                        directory.resolve(name)));
    }

    @Test
    void churnIsCompactedAndEveryStateStillReadsAndRestoresRight() throws Exception {
        final long seed = System.nanoTime();
        System.out.println("churnIsCompactedAndEveryStateStillReadsAndRestoresRight seed=" + seed);
        final Random random = new Random(seed);
        final Map<Long, String> values = new HashMap<>();
        final Map<Long, Map<Long, String>> maps = new HashMap<>();
        final Map<Long, List<String>> lists = new HashMap<>();
        KeyedStateHandle last = null;
        long maxLog = 0;
        try (OffHeapKeyedStateBackend<Long> backend = backend("churn", new ManualClock(0))) {
            backend.tuneLog(SEGMENT, 2 * SEGMENT);
            final ValueState<String> value =
                    backend.getOrCreateKeyedState(new ValueStateDescriptor<>("value", StringSerializer.INSTANCE));
            final MapState<Long, String> map = backend.getOrCreateKeyedState(
                    new MapStateDescriptor<>("map", LongSerializer.INSTANCE, StringSerializer.INSTANCE));
            final ListState<String> list =
                    backend.getOrCreateKeyedState(new ListStateDescriptor<>("list", StringSerializer.INSTANCE));
            for (int op = 0; op < 60_000; op++) {
                final long key = random.nextInt(50);
                backend.setCurrentKey(key);
                final int kind = random.nextInt(10);
                if (kind < 5) {
                    final String v = "v" + op + "-".repeat(random.nextInt(120));
                    value.update(v);
                    values.put(key, v);
                } else if (kind < 8) {
                    final long uk = random.nextInt(8);
                    final String v = "m" + op;
                    map.put(uk, v);
                    maps.computeIfAbsent(key, k -> new HashMap<>()).put(uk, v);
                } else if (kind < 9) {
                    final List<String> l = List.of("a" + op, "b" + op);
                    list.update(l);
                    lists.put(key, new ArrayList<>(l));
                } else {
                    final long uk = random.nextInt(8);
                    map.remove(uk);
                    maps.computeIfAbsent(key, k -> new HashMap<>()).remove(uk);
                }
                if (op % 10_000 == 9_999) {
                    last = backend.snapshot(op, SnapshotKind.INCREMENTAL, storage)
                            .call();
                    backend.notifyCheckpointComplete(op);
                }
                maxLog = Math.max(maxLog, backend.logBytes());
            }
            assertThat(backend.logSegmentsCompacted()).isGreaterThan(10);
            // 50 keys of about 200 bytes of live records each: the log stays far below the 60,000 records written
            assertThat(maxLog).isLessThan(2L << 20);
            for (long key = 0; key < 50; key++) {
                backend.setCurrentKey(key);
                assertThat(value.value()).isEqualTo(values.get(key));
                final List<String> l = new ArrayList<>();
                list.get().forEach(l::add);
                assertThat(l).isEqualTo(lists.getOrDefault(key, List.of()));
                final Map<Long, String> m = new HashMap<>();
                map.entries().forEach(e -> m.put(e.getKey(), e.getValue()));
                assertThat(m).isEqualTo(maps.getOrDefault(key, Map.of()));
            }
            last = backend.snapshot(100_000, SnapshotKind.INCREMENTAL, storage).call();
            backend.notifyCheckpointComplete(100_000);
        }
        try (OffHeapKeyedStateBackend<Long> restored = backend("restored", new ManualClock(0))) {
            restored.restore(List.of(last), storage.reader());
            final ValueState<String> value =
                    restored.getOrCreateKeyedState(new ValueStateDescriptor<>("value", StringSerializer.INSTANCE));
            final ListState<String> list =
                    restored.getOrCreateKeyedState(new ListStateDescriptor<>("list", StringSerializer.INSTANCE));
            for (long key = 0; key < 50; key++) {
                restored.setCurrentKey(key);
                assertThat(value.value()).isEqualTo(values.get(key));
                final List<String> l = new ArrayList<>();
                list.get().forEach(l::add);
                assertThat(l).isEqualTo(lists.getOrDefault(key, List.of()));
            }
        }
    }

    @Test
    void mapsSurviveCompactionExactly() throws Exception {
        final long seed = System.nanoTime();
        System.out.println("mapsSurviveCompactionExactly seed=" + seed);
        final Random random = new Random(seed);
        final Map<Long, Map<Long, String>> model = new HashMap<>();
        try (OffHeapKeyedStateBackend<Long> backend = backend("maps", new ManualClock(0))) {
            backend.tuneLog(SEGMENT, 2 * SEGMENT);
            final MapState<Long, String> map = backend.getOrCreateKeyedState(
                    new MapStateDescriptor<>("map", LongSerializer.INSTANCE, StringSerializer.INSTANCE));
            for (int op = 0; op < 40_000; op++) {
                final long key = random.nextInt(30);
                backend.setCurrentKey(key);
                final Map<Long, String> m = model.computeIfAbsent(key, k -> new HashMap<>());
                final long uk = random.nextInt(20);
                final int kind = random.nextInt(20);
                if (kind < 14) {
                    map.put(uk, "x" + op);
                    m.put(uk, "x" + op);
                } else if (kind < 19) {
                    map.remove(uk);
                    m.remove(uk);
                } else {
                    map.clear();
                    m.clear();
                }
            }
            assertThat(backend.logSegmentsCompacted()).isGreaterThan(5);
            for (long key = 0; key < 30; key++) {
                backend.setCurrentKey(key);
                final Map<Long, String> actual = new HashMap<>();
                for (Map.Entry<Long, String> e : map.entries()) {
                    actual.put(e.getKey(), e.getValue());
                }
                assertThat(actual).as("map of key " + key).isEqualTo(model.getOrDefault(key, Map.of()));
            }
        }
    }

    @Test
    void expiredTtlEntriesNeverReadAgainLeaveTheLogAndTheNextCheckpoint() throws Exception {
        final ManualClock clock = new ManualClock(1_000);
        try (OffHeapKeyedStateBackend<Long> backend = backend("ttl", clock)) {
            backend.tuneLog(SEGMENT, 2 * SEGMENT);
            final ValueStateDescriptor<String> descriptor =
                    new ValueStateDescriptor<>("session", StringSerializer.INSTANCE);
            descriptor.enableTimeToLive(StateTtlConfig.processingTime(Duration.ofSeconds(10)));
            final ValueState<String> session = backend.getOrCreateKeyedState(descriptor);
            final ValueState<String> counter =
                    backend.getOrCreateKeyedState(new ValueStateDescriptor<>("counter", StringSerializer.INSTANCE));
            for (long key = 0; key < 2_000; key++) {
                backend.setCurrentKey(key);
                session.update("s".repeat(100) + key);
            }
            final long before = backend.logBytes();
            final long fullBefore = storage.totalBytes();
            backend.snapshot(1, SnapshotKind.FULL, storage).call();
            final long firstCheckpoint = storage.totalBytes() - fullBefore;
            clock.advance(60_000);
            // other work goes on (a different state, few keys): the expired sessions are never read again
            for (int i = 0; i < 20_000; i++) {
                backend.setCurrentKey(100_000L + (i % 10));
                counter.update("c" + i);
            }
            assertThat(backend.logSegmentsCompacted()).isGreaterThan(0);
            assertThat(backend.logBytes()).isLessThan(before / 4);
            final long secondBefore = storage.totalBytes();
            backend.snapshot(2, SnapshotKind.FULL, storage).call();
            assertThat(storage.totalBytes() - secondBefore).isLessThan(firstCheckpoint / 4);
        }
    }
}
