package io.tidemark.state.offheap;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.backend.NamespacedState;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.serialization.StringSerializer;
import io.tidemark.state.LongValueState;
import io.tidemark.state.LongValueStateDescriptor;
import io.tidemark.state.ValueState;
import io.tidemark.state.ValueStateDescriptor;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random puts, adds and deletes against a HashMap model, on both table layouts and with namespaces: exercises growth,
 * backward-shift deletion, record moves, blobs and compaction. Seeded; prints the seed.
 */
class TableModelTest {
    @TempDir
    Path directory;

    @Test
    @SuppressWarnings("unchecked")
    void fixedAndRecordTablesMatchAModel() {
        long seed = System.nanoTime();
        System.out.println("fixedAndRecordTablesMatchAModel seed=" + seed);
        Random random = new Random(seed);
        try (OffHeapKeyedStateBackend<Long> longKeyed = TestBackends.create(
                        TestBackends.smallContext(),
                        directory.resolve("a"),
                        LongSerializer.INSTANCE,
                        8,
                        KeyGroupRange.all(8));
                OffHeapKeyedStateBackend<String> stringKeyed = TestBackends.create(
                        TestBackends.smallContext(),
                        directory.resolve("b"),
                        StringSerializer.INSTANCE,
                        8,
                        KeyGroupRange.all(8))) {
            LongValueState fixed =
                    longKeyed.getOrCreateKeyedState(LongSerializer.INSTANCE, new LongValueStateDescriptor("f", -1));
            ValueState<String> record = stringKeyed.getOrCreateKeyedState(
                    LongSerializer.INSTANCE, new ValueStateDescriptor<>("r", StringSerializer.INSTANCE));
            LongValueState plain = longKeyed.getOrCreateKeyedState(new LongValueStateDescriptor("p"));
            Map<Long, Long> plainModel = new HashMap<>();
            Map<String, Long> fixedModel = new HashMap<>();
            Map<String, String> recordModel = new HashMap<>();
            for (int i = 0; i < 200_000; i++) {
                long key = random.nextInt(3_000) - 100; // includes 0 and negative keys
                long namespace = random.nextInt(3);
                longKeyed.setCurrentKey(key);
                ((NamespacedState<Long>) fixed).setCurrentNamespace(namespace);
                String modelKey = key + "/" + namespace;
                switch (random.nextInt(4)) {
                    case 0 -> {
                        fixed.clear();
                        fixedModel.remove(modelKey);
                    }
                    case 1 -> {
                        fixed.set(i);
                        fixedModel.put(modelKey, (long) i);
                    }
                    default -> {
                        long expected = fixedModel.getOrDefault(modelKey, -1L) + 1;
                        assertThat(fixed.add(1)).as("seed %d op %d", seed, i).isEqualTo(expected);
                        fixedModel.put(modelKey, expected);
                    }
                }
                if (random.nextBoolean()) {
                    plain.clear();
                    plainModel.remove(key);
                } else {
                    plain.add(key);
                    plainModel.merge(key, key, Long::sum);
                }
                String stringKey = "key-" + key;
                stringKeyed.setCurrentKey(stringKey);
                ((NamespacedState<Long>) record).setCurrentNamespace(namespace);
                String recordKey = stringKey + "/" + namespace;
                if (random.nextInt(3) == 0) {
                    record.clear();
                    recordModel.remove(recordKey);
                } else {
                    int size = random.nextInt(50) == 0 ? 5_000 + random.nextInt(5_000) : random.nextInt(300);
                    String value = "v".repeat(size) + i;
                    record.update(value);
                    recordModel.put(recordKey, value);
                }
            }
            for (long key = -100; key < 2_900; key++) {
                longKeyed.setCurrentKey(key);
                assertThat(plain.isPresent()).as("seed %d key %d", seed, key).isEqualTo(plainModel.containsKey(key));
                assertThat(plain.get()).as("seed %d key %d", seed, key).isEqualTo(plainModel.getOrDefault(key, 0L));
                for (long namespace = 0; namespace < 3; namespace++) {
                    longKeyed.setCurrentKey(key);
                    ((NamespacedState<Long>) fixed).setCurrentNamespace(namespace);
                    Long want = fixedModel.get(key + "/" + namespace);
                    assertThat(fixed.isPresent())
                            .as("seed %d key %d", seed, key)
                            .isEqualTo(want != null);
                    assertThat(fixed.get()).isEqualTo(want == null ? -1 : want);
                    stringKeyed.setCurrentKey("key-" + key);
                    ((NamespacedState<Long>) record).setCurrentNamespace(namespace);
                    assertThat(record.value())
                            .as("seed %d key %d", seed, key)
                            .isEqualTo(recordModel.get("key-" + key + "/" + namespace));
                }
            }
            assertThat(longKeyed.entryCount()).isEqualTo(fixedModel.size() + plainModel.size());
            assertThat(stringKeyed.entryCount()).isEqualTo(recordModel.size());
        }
    }
}
