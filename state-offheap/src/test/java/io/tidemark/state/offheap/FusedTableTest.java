package io.tidemark.state.offheap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.StateAccessException;
import io.tidemark.backend.NamespacedState;
import io.tidemark.backend.snapshot.InMemorySnapshotStorage;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.SnapshotKind;
import io.tidemark.keygroup.KeyGroupAssignment;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.serialization.DoubleSerializer;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.serialization.RecordSerializer;
import io.tidemark.serialization.StringSerializer;
import io.tidemark.state.LongValueState;
import io.tidemark.state.LongValueStateDescriptor;
import io.tidemark.state.ValueState;
import io.tidemark.state.ValueStateDescriptor;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fused table holds every state whose key, namespace and value have fixed lengths: values inline, probed by the
 * folded hash, grown, deleted, snapshotted and restored (also at another parallelism) like any other state.
 */
class FusedTableTest {
    private static final int MAX_PARALLELISM = 128;

    record Quote(long bid, long ask, double mid) {}

    @TempDir
    Path directory;

    private final InMemorySnapshotStorage storage = new InMemorySnapshotStorage();

    @Test
    void fixedLengthValueStatesAreFusedAndVariableOnesAreRecords() {
        try (OffHeapKeyedStateBackend<Long> backend = backend("a", KeyGroupRange.all(MAX_PARALLELISM))) {
            backend.getOrCreateKeyedState(new ValueStateDescriptor<>("boxed", LongSerializer.INSTANCE));
            backend.getOrCreateKeyedState(new ValueStateDescriptor<>("quote", new RecordSerializer<>(Quote.class)));
            backend.getOrCreateKeyedState(new ValueStateDescriptor<>("text", StringSerializer.INSTANCE));
            backend.getOrCreateKeyedState(new LongValueStateDescriptor("count"));
            assertThat(backend.isFused("boxed")).isTrue();
            assertThat(backend.isFused("quote")).isTrue();
            assertThat(backend.isFused("count")).isTrue();
            assertThat(backend.isFused("text")).isFalse();
            assertThatThrownBy(() -> backend.isFused("nope")).isInstanceOf(StateAccessException.class);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void randomOperationsMatchAModelAcrossGrowthSnapshotAndRescale() throws Exception {
        final long seed = System.nanoTime();
        System.out.println("FusedTableTest seed=" + seed);
        final Random random = new Random(seed);
        final Map<String, Long> boxedModel = new HashMap<>();
        final Map<String, Quote> quoteModel = new HashMap<>();
        final Map<Long, Long> countModel = new HashMap<>();
        final KeyedStateHandle handle;
        try (OffHeapKeyedStateBackend<Long> backend = backend("w", KeyGroupRange.all(MAX_PARALLELISM))) {
            ValueState<Long> boxed =
                    backend.getOrCreateKeyedState(new ValueStateDescriptor<>("boxed", LongSerializer.INSTANCE));
            ValueState<Quote> quote = backend.getOrCreateKeyedState(
                    DoubleSerializer.INSTANCE,
                    new ValueStateDescriptor<>("quote", new RecordSerializer<>(Quote.class)));
            LongValueState count = backend.getOrCreateKeyedState(new LongValueStateDescriptor("count", -5));
            for (int i = 0; i < 200_000; i++) {
                final long key = random.nextInt(20_000) - 10_000L;
                if (random.nextBoolean()) {
                    backend.setCurrentKey(key);
                } else {
                    backend.setCurrentKey(Long.valueOf(key));
                }
                final double window = random.nextInt(3);
                ((NamespacedState<Double>) quote).setCurrentNamespace(window);
                final String quoteKey = key + "/" + window;
                switch (random.nextInt(8)) {
                    case 0 -> {
                        boxed.clear();
                        boxedModel.remove(Long.toString(key));
                    }
                    case 1 -> {
                        quote.clear();
                        quoteModel.remove(quoteKey);
                    }
                    case 2 -> {
                        count.clear();
                        countModel.remove(key);
                    }
                    case 3 -> {
                        final Quote q = new Quote(key, random.nextLong(), random.nextDouble());
                        quote.update(q);
                        quoteModel.put(quoteKey, q);
                    }
                    case 4 -> {
                        boxed.update(key * 3 + i);
                        boxedModel.put(Long.toString(key), key * 3 + i);
                    }
                    default -> {
                        final long next = count.add(2);
                        assertThat(next).isEqualTo(countModel.getOrDefault(key, -5L) + 2);
                        countModel.put(key, next);
                    }
                }
                assertThat(boxed.value()).isEqualTo(boxedModel.get(Long.toString(key)));
                assertThat(quote.value()).isEqualTo(quoteModel.get(quoteKey));
                assertThat(count.isPresent()).isEqualTo(countModel.containsKey(key));
            }
            handle = backend.snapshot(1, SnapshotKind.INCREMENTAL, storage).call();
            backend.notifyCheckpointComplete(1);
        }
        for (KeyGroupRange range : List.of(KeyGroupRange.of(0, 63), KeyGroupRange.of(64, 127))) {
            try (OffHeapKeyedStateBackend<Long> restored = backend("r" + range.startKeyGroup(), range)) {
                restored.restore(List.of(handle), storage.reader());
                ValueState<Long> boxed =
                        restored.getOrCreateKeyedState(new ValueStateDescriptor<>("boxed", LongSerializer.INSTANCE));
                ValueState<Quote> quote = restored.getOrCreateKeyedState(
                        DoubleSerializer.INSTANCE,
                        new ValueStateDescriptor<>("quote", new RecordSerializer<>(Quote.class)));
                LongValueState count = restored.getOrCreateKeyedState(new LongValueStateDescriptor("count", -5));
                for (long key = -10_000; key < 10_000; key++) {
                    if (!range.contains(KeyGroupAssignment.assignToKeyGroup(key, MAX_PARALLELISM))) {
                        continue;
                    }
                    restored.setCurrentKey(key);
                    assertThat(boxed.value()).isEqualTo(boxedModel.get(Long.toString(key)));
                    assertThat(count.get()).isEqualTo(countModel.getOrDefault(key, -5L));
                    for (int window = 0; window < 3; window++) {
                        ((NamespacedState<Double>) quote).setCurrentNamespace((double) window);
                        assertThat(quote.value()).isEqualTo(quoteModel.get(key + "/" + (double) window));
                    }
                }
            }
        }
    }

    private OffHeapKeyedStateBackend<Long> backend(String name, KeyGroupRange range) {
        return TestBackends.create(
                TestBackends.smallContext(), directory.resolve(name), LongSerializer.INSTANCE, MAX_PARALLELISM, range);
    }
}
