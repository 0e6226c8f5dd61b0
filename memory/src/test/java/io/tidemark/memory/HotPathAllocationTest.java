package io.tidemark.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The owner's hot path allocates nothing once warm: acquire / write / release and {@code writeAddress} /
 * {@code readAddress}, with no snapshot and with several in flight (including the first write of each page, which
 * copies it to a recycled side page), and freeing plus reallocating.
 */
@Timeout(60)
class HotPathAllocationTest {
    private static final int PAGE = 4096;
    private static final int SEGMENT = 16 * PAGE;
    private static final int PAGES = 64;
    private static final int ITERATIONS = 200_000;

    private static com.sun.management.ThreadMXBean threads;

    @TempDir
    Path dir;

    @BeforeAll
    static void allocationCounting() {
        threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
    }

    private static long allocated() {
        return threads.getCurrentThreadAllocatedBytes();
    }

    @Test
    void warmedUpPageWritesAllocateNothing() {
        try (PageStore store = PageStore.open(TestPages.context(dir, PAGE, SEGMENT, 16L * SEGMENT));
                PageCursor cursor = new PageCursor()) {
            for (int i = 0; i < PAGES; i++) {
                store.allocatePage();
            }
            // Warm up: JIT, and one snapshot cycle so side pages and the bookkeeping stacks reach their size.
            for (int round = 0; round < 3; round++) {
                writeLoop(store, cursor, ITERATIONS, round);
                final PageSnapshot snapshot = store.beginSnapshot();
                writeLoop(store, cursor, ITERATIONS, round);
                store.completeSnapshot(snapshot);
            }
            churn(store, 10_000);

            long before = allocated();
            long sum = writeLoop(store, cursor, ITERATIONS, 7);
            final long withoutSnapshot = allocated() - before;

            final PageSnapshot snapshot = store.beginSnapshot();
            final long copiesBefore = store.copiesOnWrite();
            before = allocated();
            sum += writeLoop(store, cursor, ITERATIONS, 11);
            final long withSnapshot = allocated() - before;
            final long copies = store.copiesOnWrite() - copiesBefore;
            store.endSnapshot(snapshot);

            before = allocated();
            churn(store, 10_000);
            final long allocateAndFree = allocated() - before;

            System.out.println("HotPathAllocationTest bytes: withoutSnapshot=" + withoutSnapshot + ", withSnapshot="
                    + withSnapshot + " (copies=" + copies + "), allocateAndFree=" + allocateAndFree + ", sum=" + sum);
            assertThat(copies).as("the measured loop did copy pages").isEqualTo(PAGES);
            assertThat(withoutSnapshot).isZero();
            assertThat(withSnapshot).isZero();
            assertThat(allocateAndFree).isZero();
        }
    }

    @Test
    void writeAddressWithSeveralSnapshotsInFlightAllocatesNothing() {
        try (PageStore store = PageStore.open(TestPages.context(dir, PAGE, SEGMENT, 32L * SEGMENT))) {
            for (int i = 0; i < PAGES; i++) {
                store.allocatePage();
            }
            // Warm up: JIT, and cycles with three snapshots in flight so side pages, queues and dirty sets are sized.
            for (int round = 0; round < 4; round++) {
                final PageSnapshot full = store.beginSnapshot();
                addressLoop(store, ITERATIONS, round);
                final PageSnapshot incremental = store.beginIncrementalSnapshot();
                addressLoop(store, ITERATIONS, round);
                final PageSnapshot third = store.beginSnapshot();
                addressLoop(store, ITERATIONS, round);
                store.completeSnapshot(full);
                store.completeSnapshot(incremental);
                store.endSnapshot(third);
            }
            long before = allocated();
            long sum = addressLoop(store, ITERATIONS, 7);
            final long withoutSnapshot = allocated() - before;

            final PageSnapshot full = store.beginSnapshot();
            before = allocated();
            sum += addressLoop(store, ITERATIONS, 9);
            final PageSnapshot incremental = store.beginIncrementalSnapshot();
            sum += addressLoop(store, ITERATIONS, 10);
            final PageSnapshot third = store.beginSnapshot();
            final long copiesBefore = store.copiesOnWrite();
            final long beforeThird = allocated();
            sum += addressLoop(store, ITERATIONS, 11);
            final long withSnapshots = allocated() - beforeThird;
            final long copies = store.copiesOnWrite() - copiesBefore;
            store.completeSnapshot(full);
            store.completeSnapshot(incremental);
            store.completeSnapshot(third);

            System.out.println("HotPathAllocationTest writeAddress bytes: withoutSnapshot=" + withoutSnapshot
                    + ", withThreeSnapshots=" + withSnapshots + " (copies=" + copies + "), sum=" + sum);
            assertThat(copies).as("the measured loop did copy pages").isEqualTo(PAGES);
            assertThat(withoutSnapshot).isZero();
            assertThat(withSnapshots).isZero();
        }
    }

    private static long addressLoop(PageStore store, int iterations, long salt) {
        long x = 0x9E3779B97F4A7C15L ^ salt;
        long sum = 0;
        for (int i = 0; i < iterations; i++) {
            final long pageId = i < PAGES ? i : (x >>> 33) % PAGES;
            x = xorshift(x);
            final long offset = (x & (PAGE / 8 - 1)) * 8;
            final long address = store.writeAddress(pageId) + offset;
            UnsafeApi.putLong(address, UnsafeApi.getLong(address) + 1);
            sum += UnsafeApi.getLong(store.readAddress((pageId + 1) % PAGES) + 8);
        }
        return sum;
    }

    private static long writeLoop(PageStore store, PageCursor cursor, int iterations, long salt) {
        long x = 0x9E3779B97F4A7C15L ^ salt;
        long sum = 0;
        for (int i = 0; i < iterations; i++) {
            // Every page is written in the first PAGES iterations, so a snapshot copies all of them.
            final long pageId = i < PAGES ? i : (x >>> 33) % PAGES;
            x = xorshift(x);
            try (PageCursor page = store.acquireWrite(pageId, cursor)) {
                final MutableDirectBuffer buffer = page.mutableBuffer();
                final int offset = (int) (x & (PAGE / 8 - 1)) * 8;
                buffer.putLong(offset, buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN) + 1, ByteOrder.LITTLE_ENDIAN);
                sum += buffer.getLong(0, ByteOrder.LITTLE_ENDIAN);
            }
            try (PageCursor page = store.acquireRead((pageId + 1) % PAGES, cursor)) {
                sum += page.buffer().getLong(8, ByteOrder.LITTLE_ENDIAN);
            }
        }
        return sum;
    }

    private static long xorshift(long x) {
        x ^= x << 13;
        x ^= x >>> 7;
        return x ^ (x << 17);
    }

    private static void churn(PageStore store, int iterations) {
        for (int i = 0; i < iterations; i++) {
            store.freePage(store.allocatePage());
        }
    }
}
