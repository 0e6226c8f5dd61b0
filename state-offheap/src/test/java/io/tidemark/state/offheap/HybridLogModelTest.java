package io.tidemark.state.offheap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.CorruptCheckpointException;
import io.tidemark.backend.snapshot.InMemorySnapshotStorage;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.SnapshotKind;
import io.tidemark.backend.snapshot.SnapshotReader;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.serialization.StringSerializer;
import io.tidemark.state.ListState;
import io.tidemark.state.ListStateDescriptor;
import io.tidemark.state.MapState;
import io.tidemark.state.MapStateDescriptor;
import io.tidemark.state.ValueState;
import io.tidemark.state.ValueStateDescriptor;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log states against a model: random map, list and value operations (updates in place and appends, removes,
 * clears, re-chaining), incremental native checkpoints between rounds, and restores of the last checkpoint at the same
 * parallelism and split over two backends; every restored key must equal the model.
 */
class HybridLogModelTest {
    private static final int MAX_PARALLELISM = 16;
    private static final int KEYS = 300;

    @TempDir
    Path directory;

    private final InMemorySnapshotStorage storage = new InMemorySnapshotStorage();
    private final Map<Long, Map<Long, String>> maps = new HashMap<>();
    private final Map<Long, List<String>> lists = new HashMap<>();
    private final Map<Long, String> values = new HashMap<>();

    private final class States {
        final OffHeapKeyedStateBackend<Long> backend;
        final MapState<Long, String> map;
        final ListState<String> list;
        final ValueState<String> value;

        States(OffHeapKeyedStateBackend<Long> backend) {
            this.backend = backend;
            this.map = backend.getOrCreateKeyedState(
                    new MapStateDescriptor<>("map", LongSerializer.INSTANCE, StringSerializer.INSTANCE));
            this.list = backend.getOrCreateKeyedState(new ListStateDescriptor<>("list", StringSerializer.INSTANCE));
            this.value = backend.getOrCreateKeyedState(new ValueStateDescriptor<>("value", StringSerializer.INSTANCE));
        }
    }

    private OffHeapKeyedStateBackend<Long> backend(String name, KeyGroupRange range) {
        return TestBackends.create(
                TestBackends.smallContext(), directory.resolve(name), LongSerializer.INSTANCE, MAX_PARALLELISM, range);
    }

    @Test
    void logStatesMatchAModelAcrossCheckpointsAndRestores() throws Exception {
        final long seed = System.nanoTime();
        System.out.println("logStatesMatchAModelAcrossCheckpointsAndRestores seed=" + seed);
        final Random random = new Random(seed);
        KeyedStateHandle last = null;
        try (OffHeapKeyedStateBackend<Long> live = backend("live", KeyGroupRange.all(MAX_PARALLELISM))) {
            final States states = new States(live);
            for (int round = 1; round <= 6; round++) {
                for (int op = 0; op < 4_000; op++) {
                    apply(states, random);
                }
                verify(states, "live round " + round);
                last = live.snapshot(round, SnapshotKind.INCREMENTAL, storage).call();
                live.notifyCheckpointComplete(round);
            }
        }
        try (OffHeapKeyedStateBackend<Long> same = backend("same", KeyGroupRange.all(MAX_PARALLELISM))) {
            same.restore(List.of(last), storage.reader());
            verify(new States(same), "same parallelism");
        }
        try (OffHeapKeyedStateBackend<Long> low = backend("low", new KeyGroupRange(0, 6));
                OffHeapKeyedStateBackend<Long> high = backend("high", new KeyGroupRange(7, MAX_PARALLELISM - 1))) {
            low.restore(List.of(last), storage.reader());
            high.restore(List.of(last), storage.reader());
            final States lowStates = new States(low);
            final States highStates = new States(high);
            for (long key = 0; key < KEYS; key++) {
                final int keyGroup = io.tidemark.keygroup.KeyGroupAssignment.assignToKeyGroup(key, MAX_PARALLELISM);
                verifyKey(low.keyGroupRange().contains(keyGroup) ? lowStates : highStates, key, "split parallelism");
            }
        }
    }

    private void apply(States s, Random random) throws Exception {
        final long key = random.nextInt(KEYS);
        s.backend.setCurrentKey(key);
        final int op = random.nextInt(100);
        final Map<Long, String> map = maps.computeIfAbsent(key, k -> new HashMap<>());
        final List<String> list = lists.computeIfAbsent(key, k -> new ArrayList<>());
        if (op < 35) {
            final long uk = random.nextInt(40);
            final String v = "v" + random.nextInt(1_000) + "x".repeat(random.nextInt(30));
            s.map.put(uk, v);
            map.put(uk, v);
        } else if (op < 45) {
            final long uk = random.nextInt(40);
            s.map.remove(uk);
            map.remove(uk);
        } else if (op < 47) {
            s.map.clear();
            map.clear();
        } else if (op < 70) {
            final String e = "e" + random.nextInt(1_000);
            s.list.add(e);
            list.add(e);
        } else if (op < 72) {
            final List<String> replacement = List.of("r" + random.nextInt(10), "r" + random.nextInt(10));
            s.list.update(replacement);
            list.clear();
            list.addAll(replacement);
        } else if (op < 73) {
            s.list.clear();
            list.clear();
        } else if (op < 95) {
            final String v = "value-" + random.nextInt(1_000) + "y".repeat(random.nextInt(200));
            s.value.update(v);
            values.put(key, v);
        } else {
            s.value.clear();
            values.remove(key);
        }
        if (op % 17 == 0) {
            // reads walk the chains; many dead records re-chain the map
            assertThat(toMap(s.map)).isEqualTo(map);
        }
    }

    private void verify(States s, String when) throws Exception {
        for (long key = 0; key < KEYS; key++) {
            s.backend.setCurrentKey(key);
            verifyKey(s, key, when);
        }
    }

    private void verifyKey(States s, long key, String when) throws Exception {
        s.backend.setCurrentKey(key);
        final Map<Long, String> map = maps.getOrDefault(key, Map.of());
        assertThat(toMap(s.map)).as(when + " map of key " + key).isEqualTo(map);
        for (Map.Entry<Long, String> e : map.entrySet()) {
            assertThat(s.map.get(e.getKey())).as(when + " get").isEqualTo(e.getValue());
        }
        assertThat(s.map.isEmpty()).isEqualTo(map.isEmpty());
        final List<String> list = new ArrayList<>();
        s.list.get().forEach(list::add);
        assertThat(list).as(when + " list of key " + key).isEqualTo(lists.getOrDefault(key, List.of()));
        assertThat(s.value.value()).as(when + " value of key " + key).isEqualTo(values.get(key));
    }

    private static Map<Long, String> toMap(MapState<Long, String> state) throws Exception {
        final Map<Long, String> copy = new HashMap<>();
        for (Map.Entry<Long, String> e : state.entries()) {
            assertThat(copy.put(e.getKey(), e.getValue()))
                    .as("duplicate user key " + e.getKey())
                    .isNull();
        }
        return copy;
    }

    @Test
    void aFlippedBitInALogStreamIsRefusedNamingTheStream() throws Exception {
        KeyedStateHandle handle;
        try (OffHeapKeyedStateBackend<Long> live = backend("flip", KeyGroupRange.all(MAX_PARALLELISM))) {
            final States states = new States(live);
            for (long key = 0; key < 100; key++) {
                live.setCurrentKey(key);
                states.map.put(key, "m" + key);
                states.list.add("l" + key);
            }
            handle = live.snapshot(1, SnapshotKind.FULL, storage).call();
        }
        final String stream = handle.streams().get(0).name();
        final long seed = System.nanoTime();
        System.out.println("aFlippedBitInALogStreamIsRefusedNamingTheStream seed=" + seed);
        final Random random = new Random(seed);
        final SnapshotReader flipping = (s, position) -> {
            final byte[] bytes;
            try {
                bytes = storage.reader().open(s, 0).readAllBytes();
            } catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
            final int at = random.nextInt(bytes.length);
            bytes[at] ^= (byte) (1 << random.nextInt(8));
            return new ByteArrayInputStream(bytes, (int) position, bytes.length - (int) position);
        };
        try (OffHeapKeyedStateBackend<Long> restored = backend("flipped", KeyGroupRange.all(MAX_PARALLELISM))) {
            assertThatThrownBy(() -> restored.restore(List.of(handle), flipping))
                    .isInstanceOf(CorruptCheckpointException.class)
                    .hasMessageContaining("checksum")
                    .hasMessageContaining(stream);
        }
    }
}
