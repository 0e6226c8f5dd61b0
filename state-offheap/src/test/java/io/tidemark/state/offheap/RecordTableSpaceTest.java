package io.tidemark.state.offheap;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.serialization.StringSerializer;
import io.tidemark.state.ListState;
import io.tidemark.state.ListStateDescriptor;
import io.tidemark.state.ValueState;
import io.tidemark.state.ValueStateDescriptor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Space reuse in record tables: growing records, deletes, compaction of sparse pages. */
class RecordTableSpaceTest {
    @TempDir
    Path directory;

    @Test
    void growingListsAndChangingValuesKeepPagesBounded() {
        long seed = System.nanoTime();
        System.out.println("growingListsAndChangingValuesKeepPagesBounded seed=" + seed);
        Random random = new Random(seed);
        try (OffHeapKeyedStateBackend<Long> backend = TestBackends.create(
                TestBackends.smallContext(), directory, LongSerializer.INSTANCE, 4, KeyGroupRange.all(4))) {
            ListState<Long> lists =
                    backend.getOrCreateKeyedState(new ListStateDescriptor<>("l", LongSerializer.INSTANCE));
            ValueState<String> texts =
                    backend.getOrCreateKeyedState(new ValueStateDescriptor<>("t", StringSerializer.INSTANCE));
            Map<Long, List<Long>> listModel = new HashMap<>();
            Map<Long, String> textModel = new HashMap<>();
            for (int i = 0; i < 60_000; i++) {
                long key = random.nextInt(300);
                backend.setCurrentKey(key);
                int action = random.nextInt(20);
                if (action == 0) {
                    lists.clear();
                    texts.clear();
                    listModel.remove(key);
                    textModel.remove(key);
                } else {
                    lists.add((long) i);
                    listModel.computeIfAbsent(key, k -> new ArrayList<>()).add((long) i);
                    String text = "x".repeat(random.nextInt(600)) + i;
                    texts.update(text);
                    textModel.put(key, text);
                }
            }
            long liveBytes = 0;
            for (long key = 0; key < 300; key++) {
                backend.setCurrentKey(key);
                List<Long> elements = new ArrayList<>();
                lists.get().forEach(elements::add);
                assertThat(elements).isEqualTo(listModel.getOrDefault(key, List.of()));
                assertThat(texts.value()).isEqualTo(textModel.get(key));
                liveBytes += 24
                        + 4
                        + 8L * elements.size()
                        + (textModel.containsKey(key)
                                ? 24 + 4 + textModel.get(key).length()
                                : 0);
            }
            long pageBytes = backend.pageStore().allocatedPages() * 4096L;
            System.out.printf(
                    "record tables: live ~%d B in %d B of pages (%.2fx)%n",
                    liveBytes, pageBytes, (double) pageBytes / liveBytes);
            assertThat(pageBytes).isLessThan(4 * liveBytes + 64 * 4096L);
        }
    }
}
