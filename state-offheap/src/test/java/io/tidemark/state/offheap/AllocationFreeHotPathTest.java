package io.tidemark.state.offheap;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.state.DoubleValueState;
import io.tidemark.state.DoubleValueStateDescriptor;
import io.tidemark.state.LongValueState;
import io.tidemark.state.LongValueStateDescriptor;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Long and double state on Long keys allocate nothing in steady state: 1M read-modify-writes on existing keys, measured
 * with the thread's allocated-bytes counter after warm-up. Also prints rough throughput and resident bytes per entry
 * (the JMH benchmark is the reference for both).
 */
class AllocationFreeHotPathTest {
    private static final int KEYS = 1_000_000;
    private static final long ALLOWED_BYTES = 1024;

    @TempDir
    Path directory;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void longAndDoubleReadModifyWriteAllocateNothing() {
        OffHeapBackendContext context = new OffHeapBackendContext().segmentSize(32 << 20);
        try (OffHeapKeyedStateBackend<Long> backend =
                TestBackends.create(context, directory, LongSerializer.INSTANCE, 128, KeyGroupRange.all(128))) {
            LongValueState counter = backend.getOrCreateKeyedState(new LongValueStateDescriptor("count"));
            DoubleValueState total = backend.getOrCreateKeyedState(new DoubleValueStateDescriptor("total"));
            Long[] keys = new Long[KEYS];
            for (int i = 0; i < KEYS; i++) {
                keys[i] = (long) i * 7919;
                backend.setCurrentKey(keys[i]);
                counter.set(i);
            }
            long pagesForCounter = backend.pageStore().allocatedPages();
            System.out.printf(
                    "offheap long state: %d entries in %d pages of %d B = %.1f resident bytes per entry%n",
                    KEYS, pagesForCounter, context.pageSize(), pagesForCounter * (double) context.pageSize() / KEYS);
            for (int i = 0; i < KEYS; i++) {
                backend.setCurrentKey(keys[i]);
                total.set(i / 2.0);
            }
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long sink = 0;
            for (int round = 0; round < 5; round++) {
                sink += longRound(backend, counter, keys);
                sink += (long) doubleRound(backend, total, keys);
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            long start = System.nanoTime();
            sink += longRound(backend, counter, keys);
            long longNanos = System.nanoTime() - start;
            long afterLong = threads.getCurrentThreadAllocatedBytes();
            sink += (long) doubleRound(backend, total, keys);
            long afterDouble = threads.getCurrentThreadAllocatedBytes();
            System.out.printf(
                    "offheap long state: 1M read-modify-writes in %.1f ms = %.1f M ops/s (unit test, not JMH), "
                            + "allocated %d B (long), %d B (double), sink=%d%n",
                    longNanos / 1e6, KEYS * 1e3 / longNanos, afterLong - before, afterDouble - afterLong, sink);
            Long[] hot = java.util.Arrays.copyOf(keys, 1 << 16);
            sink += longRound(backend, counter, hot);
            start = System.nanoTime();
            for (int pass = 0; pass < 16; pass++) {
                sink += longRound(backend, counter, hot);
            }
            long hotNanos = System.nanoTime() - start;
            System.out.printf(
                    "offheap long state: 1M read-modify-writes over 64K cache-resident keys: %.1f M ops/s%n",
                    16.0 * hot.length * 1e3 / hotNanos);
            long[] primitiveKeys = new long[KEYS];
            for (int i = 0; i < KEYS; i++) {
                primitiveKeys[i] = keys[i];
            }
            sink += primitiveRound(backend, counter, primitiveKeys);
            long beforePrimitive = threads.getCurrentThreadAllocatedBytes();
            start = System.nanoTime();
            sink += primitiveRound(backend, counter, primitiveKeys);
            long primitiveNanos = System.nanoTime() - start;
            long afterPrimitive = threads.getCurrentThreadAllocatedBytes();
            System.out.printf(
                    "offheap long state, setCurrentKey(long): 1M read-modify-writes in %.1f ms = %.1f M ops/s "
                            + "(unit test, not JMH), allocated %d B%n",
                    primitiveNanos / 1e6, KEYS * 1e3 / primitiveNanos, afterPrimitive - beforePrimitive);
            assertThat(afterPrimitive - beforePrimitive)
                    .as("bytes allocated by 1M long RMW with primitive keys")
                    .isLessThan(ALLOWED_BYTES);
            assertThat(afterLong - before).as("bytes allocated by 1M long RMW").isLessThan(ALLOWED_BYTES);
            assertThat(afterDouble - afterLong)
                    .as("bytes allocated by 1M double RMW")
                    .isLessThan(ALLOWED_BYTES);
            backend.setCurrentKey(keys[3]);
            assertThat(counter.get()).isEqualTo(3 + 8 + 17);
            assertThat(total.get()).isEqualTo(1.5 + 6);
            backend.setCurrentKey(keys[1 << 16]);
            assertThat(counter.get()).isEqualTo((1 << 16) + 8);
            long keyOnly = System.nanoTime();
            for (int pass = 0; pass < 16; pass++) {
                for (Long key : hot) {
                    backend.setCurrentKey(key);
                }
            }
            keyOnly = System.nanoTime() - keyOnly;
            long getOnly = System.nanoTime();
            for (int pass = 0; pass < 16; pass++) {
                for (int i = 0; i < hot.length; i++) {
                    sink += counter.get();
                }
            }
            getOnly = System.nanoTime() - getOnly;
            System.out.printf(
                    "offheap long state: setCurrentKey %.1f ns, get on one key %.1f ns (%d)%n",
                    keyOnly / 16.0 / hot.length, getOnly / 16.0 / hot.length, sink);
        }
    }

    private static long primitiveRound(OffHeapKeyedStateBackend<Long> backend, LongValueState counter, long[] keys) {
        long sum = 0;
        for (long key : keys) {
            backend.setCurrentKey(key);
            sum += counter.add(1);
        }
        return sum;
    }

    private static long longRound(OffHeapKeyedStateBackend<Long> backend, LongValueState state, Long[] keys) {
        long sum = 0;
        for (Long key : keys) {
            backend.setCurrentKey(key);
            sum += state.add(1);
        }
        return sum;
    }

    private static double doubleRound(OffHeapKeyedStateBackend<Long> backend, DoubleValueState state, Long[] keys) {
        double sum = 0;
        for (Long key : keys) {
            backend.setCurrentKey(key);
            sum += state.add(1.0);
        }
        return sum;
    }
}
