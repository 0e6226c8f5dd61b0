package io.tidemark.state.offheap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.ConfigurationException;
import io.tidemark.StateSizeException;
import io.tidemark.backend.StateMemory;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.serialization.BytesSerializer;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.serialization.StringSerializer;
import io.tidemark.state.ListState;
import io.tidemark.state.ListStateDescriptor;
import io.tidemark.state.ValueState;
import io.tidemark.state.ValueStateDescriptor;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Typed size errors before mutation, capacity limits, configuration checks, and state larger than the budget. */
class LimitsTest {
    @TempDir
    Path directory;

    @Test
    void oversizeKeyIsRefusedNamingStateSizeAndLimitWithStateUnchanged() {
        OffHeapBackendContext context = TestBackends.smallContext().maxKeyBytes(100);
        try (OffHeapKeyedStateBackend<String> backend =
                TestBackends.create(context, directory, StringSerializer.INSTANCE, 16, KeyGroupRange.all(16))) {
            ValueState<String> state =
                    backend.getOrCreateKeyedState(new ValueStateDescriptor<>("names", StringSerializer.INSTANCE));
            backend.setCurrentKey("small");
            state.update("kept");
            String huge = "k".repeat(200);
            backend.setCurrentKey(huge);
            assertThat(state.value()).isNull();
            assertThatThrownBy(() -> state.update("x"))
                    .isInstanceOf(StateSizeException.class)
                    .hasMessageContaining("state=names")
                    .hasMessageContaining("size=")
                    .hasMessageContaining("limit=100");
            assertThat(backend.entryCount()).isEqualTo(1);
            backend.setCurrentKey("small");
            assertThat(state.value()).isEqualTo("kept");
        }
    }

    @Test
    void oversizeValueIsRefusedWithTheOldValueKept() {
        OffHeapBackendContext context = TestBackends.smallContext().maxValueBytes(64 * 1024);
        try (OffHeapKeyedStateBackend<Long> backend =
                TestBackends.create(context, directory, LongSerializer.INSTANCE, 16, KeyGroupRange.all(16))) {
            ValueState<byte[]> blob =
                    backend.getOrCreateKeyedState(new ValueStateDescriptor<>("blob", BytesSerializer.INSTANCE));
            ListState<Long> list =
                    backend.getOrCreateKeyedState(new ListStateDescriptor<>("list", LongSerializer.INSTANCE));
            backend.setCurrentKey(1L);
            byte[] old = new byte[60 * 1024];
            Arrays.fill(old, (byte) 7);
            blob.update(old);
            long pages = backend.pageStore().allocatedPages();
            assertThatThrownBy(() -> blob.update(new byte[64 * 1024 + 1]))
                    .isInstanceOf(StateSizeException.class)
                    .hasMessageContaining("state=blob")
                    .hasMessageContaining("limit=65536");
            assertThat(blob.value()).isEqualTo(old);
            assertThat(backend.pageStore().allocatedPages()).isEqualTo(pages);
            // a list is a chain of chunks in the log: the limit is per chunk written (one add, or one update),
            // not per list, so a list built by adds grows past it
            for (long i = 0; i < 8_193; i++) {
                list.add(i);
            }
            assertThat(list.get()).hasSize(8_193);
            final List<Long> tooLarge = new ArrayList<>();
            for (long i = 0; i < 8_192; i++) {
                tooLarge.add(i);
            }
            assertThatThrownBy(() -> list.update(tooLarge))
                    .isInstanceOf(StateSizeException.class)
                    .hasMessageContaining("state=list");
            assertThat(list.get()).hasSize(8_193);
        }
    }

    @Test
    void fullStoreIsRefusedNamingTheStateWithEarlierEntriesIntact() {
        OffHeapBackendContext context = TestBackends.smallContext().maxStoreSize(2 << 20);
        try (OffHeapKeyedStateBackend<Long> backend =
                TestBackends.create(context, directory, LongSerializer.INSTANCE, 4, KeyGroupRange.all(4))) {
            ValueState<byte[]> values =
                    backend.getOrCreateKeyedState(new ValueStateDescriptor<>("values", BytesSerializer.INSTANCE));
            long key = 0;
            StateSizeException failure = null;
            while (failure == null) {
                backend.setCurrentKey(key);
                try {
                    values.update(ByteBuffer.allocate(1000).putLong(0, key).array());
                    key++;
                } catch (StateSizeException ex) {
                    failure = ex;
                }
            }
            assertThat(failure).hasMessageContaining("state=values").hasMessageContaining("limit=");
            assertThat(key).isGreaterThan(1_000);
            assertThat(backend.entryCount()).isEqualTo(key);
            backend.setCurrentKey(key);
            assertThat(values.value()).isNull();
            for (long k = 0; k < key; k++) {
                backend.setCurrentKey(k);
                assertThat(ByteBuffer.wrap(values.value()).getLong(0)).isEqualTo(k);
            }
        }
    }

    @Test
    void invalidConfigurationNamesTheSetting() {
        assertThatThrownBy(() -> new OffHeapStateBackend(new OffHeapBackendContext().pageSize(3000)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("pageSize=3000");
        assertThatThrownBy(() -> new OffHeapStateBackend(new OffHeapBackendContext().maxKeyBytes(1 << 20)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("maxKeyBytes=1048576");
        assertThatThrownBy(() -> new OffHeapStateBackend(new OffHeapBackendContext().residentBudget(64 << 10)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("residentBudget=65536");
        assertThatThrownBy(() -> new OffHeapStateBackend(new OffHeapBackendContext().maxValueBytes(4)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("maxValueBytes=4");
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void stateMuchLargerThanTheResidentBudgetReadsBack() {
        // The smallest budget the launcher's --memory is documented to take, through the factory it uses.
        long budget = 32L << 20;
        OffHeapBackendContext context =
                ((OffHeapStateBackend) new OffHeapStateBackendFactory().create(budget)).context();
        assertThat(context.pageStoreContext(directory).conclude().segmentSize())
                .as("segment size follows the budget")
                .isEqualTo(2 << 20);
        try (OffHeapKeyedStateBackend<Long> backend =
                TestBackends.create(context, directory, LongSerializer.INSTANCE, 16, KeyGroupRange.all(16))) {
            ValueState<byte[]> values =
                    backend.getOrCreateKeyedState(new ValueStateDescriptor<>("values", BytesSerializer.INSTANCE));
            int keys = 128 * 1024; // 1 KiB each: 128 MiB of values
            for (long key = 0; key < keys; key++) {
                backend.setCurrentKey(key);
                values.update(valueOf(key));
            }
            for (long key = 0; key < keys; key++) {
                backend.setCurrentKey(key);
                assertThat(values.value()).as("key %d", key).isEqualTo(valueOf(key));
            }
            long stored = backend.pageStore().allocatedPages() * context.pageSize();
            System.out.printf(
                    "larger than budget: %d MiB of pages, budget %d MiB, max resident %d MiB, evictions %d%n",
                    stored >> 20,
                    budget >> 20,
                    backend.pageStore().maxResidentBytesSeen() >> 20,
                    backend.pageStore().pageEvictions());
            assertThat(stored).isGreaterThan(128L << 20);
            assertThat(backend.pageStore().maxResidentBytesSeen()).isLessThanOrEqualTo(budget);
            assertThat(backend.pageStore().pageEvictions()).isPositive();
            StateMemory memory = backend.memoryUsage();
            assertThat(memory.spilledBytes())
                    .as("what does not fit the budget waits in the segment files")
                    .isGreaterThanOrEqualTo(stored - budget);
            assertThat(memory.residentBytes()).isPositive().isLessThanOrEqualTo(budget);
            assertThat(backend.pageStore().residentBytes() + memory.spilledBytes())
                    .as("every live page is resident or spilled (no snapshot in flight: no side pages)")
                    .isEqualTo(stored);
            assertThat(memory.residentBytes())
                    .as("the log index counts as resident")
                    .isGreaterThan(backend.pageStore().residentBytes());
        }
    }

    @Test
    void memoryUsageIsZeroAfterClose() {
        OffHeapKeyedStateBackend<Long> backend = TestBackends.create(
                TestBackends.smallContext(), directory, LongSerializer.INSTANCE, 16, KeyGroupRange.all(16));
        ValueState<byte[]> values =
                backend.getOrCreateKeyedState(new ValueStateDescriptor<>("values", BytesSerializer.INSTANCE));
        for (long key = 0; key < 100; key++) {
            backend.setCurrentKey(key);
            values.update(valueOf(key));
        }
        assertThat(backend.memoryUsage().residentBytes()).isPositive();
        backend.close();
        assertThat(backend.memoryUsage()).isEqualTo(StateMemory.UNKNOWN);
    }

    private static byte[] valueOf(long key) {
        byte[] bytes = new byte[1024];
        Arrays.fill(bytes, (byte) (key * 31));
        ByteBuffer.wrap(bytes).putLong(0, key).putLong(1016, ~key);
        return bytes;
    }
}
