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
import io.tidemark.state.ValueState;
import io.tidemark.state.ValueStateDescriptor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code forEachKey} of log states ({@link LogKeyScan}) against a model, under churn that compacts the log (records
 * copied to the tail, tombstones and MAP_CLEARs dropped), with values that span pages, and after a native restore.
 */
class LogKeyScanTest {
    private static final int MAX_PARALLELISM = 16;
    private static final long SEGMENT = 16 * 1024;
    private static final int KEYS = 300;

    @TempDir
    Path directory;

    private final InMemorySnapshotStorage storage = new InMemorySnapshotStorage();

    private OffHeapKeyedStateBackend<Long> backend(String name) {
        return (OffHeapKeyedStateBackend<Long>) new OffHeapStateBackend(TestBackends.smallContext())
                .createKeyedStateBackend(new KeyedBackendParameters<>(
                        "op",
                        LongSerializer.INSTANCE,
                        MAX_PARALLELISM,
                        KeyGroupRange.all(MAX_PARALLELISM),
                        new ManualClock(0),
                        directory.resolve(name)));
    }

    /** The three log states of one backend and what each key holds in them. */
    private static final class States {
        final ValueState<String> value;
        final MapState<Long, String> map;
        final ListState<String> list;

        States(OffHeapKeyedStateBackend<Long> backend) {
            value = backend.getOrCreateKeyedState(new ValueStateDescriptor<>("value", StringSerializer.INSTANCE));
            map = backend.getOrCreateKeyedState(
                    new MapStateDescriptor<>("map", LongSerializer.INSTANCE, StringSerializer.INSTANCE));
            list = backend.getOrCreateKeyedState(new ListStateDescriptor<>("list", StringSerializer.INSTANCE));
        }
    }

    @Test
    void keysOfLogStatesFollowChurnCompactionAndRestore() throws Exception {
        final long seed = System.nanoTime();
        System.out.println("keysOfLogStatesFollowChurnCompactionAndRestore seed=" + seed);
        final Random random = new Random(seed);
        final Set<Long> values = new HashSet<>();
        final Map<Long, Set<Long>> maps = new HashMap<>();
        final Set<Long> lists = new HashSet<>();
        KeyedStateHandle last = null;
        try (OffHeapKeyedStateBackend<Long> backend = backend("churn")) {
            backend.tuneLog(SEGMENT, 2 * SEGMENT);
            final States states = new States(backend);
            for (int op = 0; op < 40_000; op++) {
                final long key = random.nextInt(KEYS);
                backend.setCurrentKey(key);
                final int kind = random.nextInt(20);
                if (kind < 4) {
                    final int length = random.nextInt(50) == 0 ? 5_000 + random.nextInt(3_000) : random.nextInt(60);
                    states.value.update("v" + op + "-".repeat(length));
                    values.add(key);
                } else if (kind < 5) {
                    states.value.clear();
                    values.remove(key);
                } else if (kind < 10) {
                    final long userKey = random.nextInt(4);
                    states.map.put(userKey, "m" + op);
                    maps.computeIfAbsent(key, k -> new HashSet<>()).add(userKey);
                } else if (kind < 14) {
                    final long userKey = random.nextInt(4);
                    states.map.remove(userKey);
                    maps.computeIfAbsent(key, k -> new HashSet<>()).remove(userKey);
                } else if (kind < 15) {
                    states.map.clear();
                    maps.remove(key);
                } else if (kind < 18) {
                    states.list.add("l" + op);
                    lists.add(key);
                } else if (kind < 19) {
                    states.list.update(List.of());
                    lists.remove(key);
                } else {
                    states.list.clear();
                    lists.remove(key);
                }
                if (op % 5_000 == 4_999) {
                    verify(backend, values, maps, lists, "seed " + seed + " op " + op);
                    last = backend.snapshot(op, SnapshotKind.INCREMENTAL, storage)
                            .call();
                    backend.notifyCheckpointComplete(op);
                }
            }
            assertThat(backend.logSegmentsCompacted()).isGreaterThan(5);
        }
        try (OffHeapKeyedStateBackend<Long> restored = backend("restored")) {
            restored.restore(List.of(last), storage.reader());
            new States(restored);
            verify(restored, values, maps, lists, "seed " + seed + " restored");
        }
    }

    private static void verify(
            OffHeapKeyedStateBackend<Long> backend,
            Set<Long> values,
            Map<Long, Set<Long>> maps,
            Set<Long> lists,
            String context) {
        List<Long> withMaps = new ArrayList<>();
        maps.forEach((key, entries) -> {
            if (!entries.isEmpty()) {
                withMaps.add(key);
            }
        });
        assertThat(keysOf(backend, "value")).as(context).containsExactlyInAnyOrderElementsOf(values);
        assertThat(keysOf(backend, "map")).as(context).containsExactlyInAnyOrderElementsOf(withMaps);
        assertThat(keysOf(backend, "list")).as(context).containsExactlyInAnyOrderElementsOf(lists);
    }

    private static List<Long> keysOf(OffHeapKeyedStateBackend<Long> backend, String state) {
        List<Long> keys = new ArrayList<>();
        backend.forEachKey(state, keys::add);
        return keys;
    }
}
