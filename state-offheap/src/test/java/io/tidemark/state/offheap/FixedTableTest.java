package io.tidemark.state.offheap;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.state.LongValueState;
import io.tidemark.state.LongValueStateDescriptor;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class FixedTableTest {
    @TempDir
    Path directory;

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void growsRemovesAndReadsBack() {
        try (OffHeapKeyedStateBackend<Long> backend = TestBackends.create(
                TestBackends.smallContext(), directory, LongSerializer.INSTANCE, 4, KeyGroupRange.all(4))) {
            LongValueState counter = backend.getOrCreateKeyedState(new LongValueStateDescriptor("c", -1));
            int keys = 20_000;
            for (long key = 0; key < keys; key++) {
                backend.setCurrentKey(key);
                counter.set(key * 3);
            }
            assertThat(backend.entryCount()).isEqualTo(keys);
            for (long key = 0; key < keys; key += 2) {
                backend.setCurrentKey(key);
                counter.clear();
            }
            for (long key = 0; key < keys; key++) {
                backend.setCurrentKey(key);
                assertThat(counter.get()).isEqualTo(key % 2 == 0 ? -1 : key * 3);
                assertThat(counter.add(1)).isEqualTo(key % 2 == 0 ? 0 : key * 3 + 1);
            }
            assertThat(backend.entryCount()).isEqualTo(keys);
        }
    }

    /**
     * A {@code Long -> long} entry costs at most 24 bytes of pages: the hash spreads keys over every bucket page (a
     * page choice that left half the pages unused made each used page overflow and the table grow twice as large).
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void longEntriesCostAtMostTwentyFourBytesOfPages() {
        try (OffHeapKeyedStateBackend<Long> backend = TestBackends.create(
                new OffHeapBackendContext().segmentSize(32 << 20),
                directory,
                LongSerializer.INSTANCE,
                128,
                KeyGroupRange.all(128))) {
            LongValueState counter = backend.getOrCreateKeyedState(new LongValueStateDescriptor("c"));
            int keys = 1_000_000;
            java.util.SplittableRandom random = new java.util.SplittableRandom(42);
            for (int i = 0; i < keys; i++) {
                backend.setCurrentKey(random.nextLong());
                counter.add(1);
            }
            double bytesPerEntry = backend.pageStore().allocatedPages()
                    * (double) backend.pageStore().pageSize()
                    / backend.entryCount();
            System.out.printf("fused table: %.1f bytes of pages per Long -> long entry%n", bytesPerEntry);
            assertThat(bytesPerEntry).isLessThanOrEqualTo(24.0);
        }
    }
}
