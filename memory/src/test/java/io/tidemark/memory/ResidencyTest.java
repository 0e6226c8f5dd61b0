package io.tidemark.memory;

import static io.tidemark.memory.TestPages.PAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.StorageIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Page-level residency through the public API: eviction, write-back, the clock, holds and the budget. */
@Timeout(60)
class ResidencyTest {
    private static final int SEGMENT = 16 * PAGE;
    /** 32 frames. */
    private static final long BUDGET = 2L * SEGMENT;

    @TempDir
    Path dir;

    private PageStore open(long budget) {
        return PageStore.open(TestPages.context(dir, PAGE, SEGMENT, budget));
    }

    private static void write(PageStore store, PageCursor cursor, long id, long version) {
        try (PageCursor page = store.acquireWrite(id, cursor)) {
            TestPages.fill(page.mutableBuffer(), id, version);
        }
    }

    private static long read(PageStore store, PageCursor cursor, long id) {
        try (PageCursor page = store.acquireRead(id, cursor)) {
            return TestPages.versionOf(page.buffer(), 0, PAGE, id);
        }
    }

    @Test
    void evictedPagesReadBackWithTheirContent() {
        try (PageStore store = open(BUDGET);
                PageCursor cursor = new PageCursor()) {
            final int pages = 6 * 16;
            for (int i = 0; i < pages; i++) {
                write(store, cursor, store.allocatePage(), 10 + i);
                assertThat(store.residentBytes()).isLessThanOrEqualTo(BUDGET);
            }
            assertThat(store.pageEvictions()).isGreaterThanOrEqualTo(pages - 32);
            final long loadsBefore = store.pageLoads();
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < pages; i++) {
                    final long id = round == 0 ? i : pages - 1 - i;
                    assertThat(read(store, cursor, id)).isEqualTo(10 + id);
                }
            }
            assertThat(store.pageLoads())
                    .as("evicted pages came back from the files")
                    .isGreaterThan(loadsBefore);
            assertThat(store.maxResidentBytesSeen()).isLessThanOrEqualTo(BUDGET);
            assertThat(store.overBudgetFrames()).isZero();
        }
    }

    @Test
    void residentAndSpilledBytesAddUpToTheLivePages() {
        try (PageStore store = open(BUDGET);
                PageCursor cursor = new PageCursor()) {
            final int pages = 5 * 16;
            final long[] ids = new long[pages];
            for (int i = 0; i < pages; i++) {
                ids[i] = store.allocatePage();
                write(store, cursor, ids[i], 1);
                assertThat(store.residentBytes() + store.spilledBytes()).isEqualTo((long) (i + 1) * PAGE);
            }
            assertThat(store.spilledBytes()).isGreaterThanOrEqualTo((long) (pages - 32) * PAGE);
            for (long id : ids) {
                read(store, cursor, id); // pages come back and others leave
                assertThat(store.residentBytes() + store.spilledBytes()).isEqualTo((long) pages * PAGE);
            }
            for (int i = 0; i < pages; i++) {
                store.freePage(ids[i]); // resident and spilled pages alike
                assertThat(store.residentBytes() + store.spilledBytes()).isEqualTo((long) (pages - i - 1) * PAGE);
            }
            assertThat(store.spilledBytes()).isZero();
        }
    }

    @Test
    void cleanPagesAreNotWrittenBackAgainAndRewrittenOnesAre() {
        try (PageStore store = open(BUDGET);
                PageCursor cursor = new PageCursor()) {
            final int pages = 4 * 16;
            for (int i = 0; i < pages; i++) {
                write(store, cursor, store.allocatePage(), 1);
            }
            for (int i = 0; i < pages; i++) {
                read(store, cursor, i); // every page leaves memory once more: the dirty ones are written back
            }
            final long writeBacks = store.pageWriteBacks();
            assertThat(writeBacks).isGreaterThanOrEqualTo(pages - 32);
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < pages; i++) {
                    read(store, cursor, i);
                }
            }
            assertThat(store.pageWriteBacks()).as("reads leave pages clean").isEqualTo(writeBacks);
            assertThat(store.pageEvictions()).isGreaterThan(2L * pages - 64);

            // A page read back and then written is dirty again: its new content must survive the next eviction.
            TestPages.fill(new UnsafeBuffer(store.writeAddress(3), PAGE), 3, 7);
            for (int i = 0; i < pages; i++) {
                if (i != 3) {
                    read(store, cursor, i);
                }
            }
            assertThat(store.pageWriteBacks()).isEqualTo(writeBacks + 1);
            assertThat(read(store, cursor, 3)).isEqualTo(7);
        }
    }

    @Test
    void freshPageEvictedBeforeAnyWriteReadsBackAsZeros() {
        try (PageStore store = open(BUDGET);
                PageCursor cursor = new PageCursor()) {
            final long first = store.allocatePage();
            for (int i = 0; i < 3 * 16; i++) {
                write(store, cursor, store.allocatePage(), 2);
            }
            assertThat(store.residentBytes()).isLessThanOrEqualTo(BUDGET);
            try (PageCursor page = store.acquireRead(first, cursor)) {
                for (int i = 0; i < PAGE; i += Long.BYTES) {
                    assertThat(page.buffer().getLong(i)).isZero();
                }
            }
            assertThat(store.pageLoads()).isPositive();
        }
    }

    @Test
    void snapshotReaderNeverFaultsAPageIn() throws Exception {
        try (PageStore store = open(BUDGET);
                PageCursor cursor = new PageCursor()) {
            final int pages = 6 * 16;
            for (int i = 0; i < pages; i++) {
                write(store, cursor, store.allocatePage(), 5);
            }
            final long resident = store.residentBytes() / PAGE;
            final PageSnapshot snapshot = store.beginSnapshot();
            final long loadsBefore = store.pageLoads();
            final long residentBefore = store.residentBytes();
            final Thread reader = new Thread(() -> {
                final UnsafeBuffer copy = new UnsafeBuffer(new byte[PAGE]);
                for (long id = snapshot.nextLivePage(0); id >= 0; id = snapshot.nextLivePage(id + 1)) {
                    snapshot.readPage(id, copy, 0);
                    assertThat(TestPages.versionOf(copy, 0, PAGE, id)).isEqualTo(5);
                }
            });
            final java.util.concurrent.atomic.AtomicReference<Throwable> failure =
                    new java.util.concurrent.atomic.AtomicReference<>();
            reader.setUncaughtExceptionHandler((thread, ex) -> failure.set(ex));
            reader.start();
            reader.join();
            assertThat(failure.get()).isNull();
            assertThat(store.pageLoads()).as("the reader loads nothing").isEqualTo(loadsBefore);
            assertThat(store.residentBytes()).isEqualTo(residentBefore);
            assertThat(snapshot.fileReads())
                    .as("pages without a frame came from the files")
                    .isEqualTo(pages - resident);
            store.completeSnapshot(snapshot);
        }
    }

    @Test
    void hotPageSurvivesAScanOfColdOnes() {
        try (PageStore store = open(BUDGET);
                PageCursor cursor = new PageCursor()) {
            final int pages = 12 * 16;
            for (int i = 0; i < pages; i++) {
                store.allocatePage();
            }
            final long loadsBefore = store.pageLoads();
            final long hot = 0;
            int coldAccesses = 0;
            for (int round = 0; round < 3; round++) {
                for (long cold = 1; cold < pages; cold++) {
                    store.acquireRead(hot, cursor).release();
                    store.acquireRead(cold, cursor).release();
                    coldAccesses++;
                }
            }
            // Every cold access may load its page; the hot page is loaded once and never evicted after that.
            assertThat(store.pageLoads() - loadsBefore).isLessThanOrEqualTo(coldAccesses + 1);
            assertThat(store.maxResidentBytesSeen()).isLessThanOrEqualTo(BUDGET);
        }
    }

    @Test
    void heldPageIsNeverEvicted() {
        try (PageStore store = open(BUDGET);
                PageCursor held = new PageCursor();
                PageCursor cursor = new PageCursor()) {
            final long first = store.allocatePage();
            store.acquireWrite(first, held);
            TestPages.fill(held.mutableBuffer(), first, 1);
            final long address = held.address();
            for (int i = 1; i < 8 * 16; i++) {
                write(store, cursor, store.allocatePage(), 2);
            }
            assertThat(store.pageEvictions()).isGreaterThanOrEqualTo(8 * 16 - 32);
            assertThat(store.readAddress(first)).as("same frame all along").isEqualTo(address);
            assertThat(TestPages.versionOf(held.buffer(), 0, PAGE, first)).isEqualTo(1);
            TestPages.fill(held.mutableBuffer(), first, 3);
            held.release();
            for (int i = 1; i < 8 * 16; i++) {
                read(store, cursor, i);
            }
            assertThat(read(store, cursor, first)).isEqualTo(3);
        }
    }

    @Test
    void everyPageHeldGoesOverBudgetInsteadOfFailing() {
        final int frames = PageStoreContext.MIN_RESIDENT_PAGES;
        try (PageStore store = open((long) frames * PAGE)) {
            final PageCursor[] cursors = new PageCursor[frames];
            for (int i = 0; i < frames; i++) {
                cursors[i] = store.acquireWrite(store.allocatePage(), new PageCursor());
                TestPages.fill(cursors[i].mutableBuffer(), i, 4);
            }
            final long extra = store.allocatePage();
            assertThat(store.overBudgetFrames()).isEqualTo(1);
            assertThat(store.residentBytes()).isEqualTo((frames + 1L) * PAGE);
            for (PageCursor cursor : cursors) {
                cursor.release();
            }
            try (PageCursor cursor = new PageCursor()) {
                for (int i = 0; i < 2 * frames; i++) {
                    store.allocatePage();
                }
                assertThat(store.residentBytes()).as("back within budget").isLessThanOrEqualTo((long) frames * PAGE);
                for (int i = 0; i < frames; i++) {
                    assertThat(read(store, cursor, i)).isEqualTo(4);
                }
                store.acquireRead(extra, cursor).release();
            }
        }
    }

    @Test
    void pageThatCannotBeReadBackFailsTheAcquireAndLeaksNoFrame() throws Exception {
        try (PageStore store = open(BUDGET);
                PageCursor cursor = new PageCursor()) {
            for (int i = 0; i < 4 * 16; i++) {
                write(store, cursor, store.allocatePage(), 6);
            }
            final Path file = dir.resolve("segment-000000.dat");
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(0); // page 1 was written back: its bytes are gone now
            }
            final long resident = store.residentBytes();
            assertThatThrownBy(() -> store.acquireRead(1, cursor))
                    .isInstanceOf(StorageIOException.class)
                    .hasMessageContaining("segment-000000.dat");
            assertThat(cursor.isAcquired()).isFalse();
            assertThat(store.residentBytes()).isLessThanOrEqualTo(resident);
            for (int i = 0; i < 20; i++) {
                write(store, cursor, store.allocatePage(), 8);
            }
            assertThat(read(store, cursor, 4 * 16 - 1)).isEqualTo(6);
        }
    }

    /** 32 MiB budget, 16 KiB pages, derived 2 MiB segments, 128 MiB of pages written, then read in random order. */
    @Test
    void smallBudgetWithManyPages() {
        final int page = 16 * 1024;
        final long budget = 32L << 20;
        final PageStoreContext context = new PageStoreContext()
                .stateDirectory(dir)
                .pageSize(page)
                .residentBudget(budget)
                .conclude();
        assertThat(context.segmentSize()).isEqualTo(2 << 20);
        final long seed = System.nanoTime();
        System.out.println("ResidencyTest.smallBudgetWithManyPages seed=" + seed);
        final Random random = new Random(seed);
        try (PageStore store = PageStore.open(context);
                PageCursor cursor = new PageCursor()) {
            final int pages = (128 << 20) / page;
            for (int i = 0; i < pages; i++) {
                final long id = store.allocatePage();
                try (PageCursor p = store.acquireWrite(id, cursor)) {
                    TestPages.fill(p.mutableBuffer(), id, i * 3L);
                }
            }
            for (int i = 0; i < pages; i++) {
                final long id = random.nextInt(pages);
                try (PageCursor p = store.acquireRead(id, cursor)) {
                    assertThat(TestPages.versionOf(p.buffer(), 0, page, id)).isEqualTo(id * 3L);
                }
            }
            assertThat(store.maxResidentBytesSeen()).isLessThanOrEqualTo(budget);
            assertThat(store.segmentFiles()).isEqualTo(64);
            assertThat(store.overBudgetFrames()).isZero();
        }
    }

    /**
     * A caller that caches addresses as the fused table does: reads through an address cached against
     * {@code addressStamp()}, writes through one cached against {@code writeStamp()}, under eviction churn and
     * snapshots. Every page must hold its latest version at the end.
     */
    @Test
    void cachedOwnerAddressesRevalidatedByStampsUnderChurn() {
        final long seed = System.nanoTime();
        System.out.println("ResidencyTest.cachedOwnerAddresses seed=" + seed);
        final Random random = new Random(seed);
        final int pages = 200;
        try (PageStore store = open(BUDGET);
                PageCursor cursor = new PageCursor()) {
            final long[] versions = new long[pages];
            final long[] readAddress = new long[pages];
            final long[] writeAddress = new long[pages];
            final long[] writeStampOf = new long[pages];
            long addressStamp = store.addressStamp();
            for (int i = 0; i < pages; i++) {
                write(store, cursor, store.allocatePage(), 0);
                writeStampOf[i] = -1;
            }
            for (int op = 0; op < 100_000; op++) {
                final int id = random.nextInt(10) < 7 ? random.nextInt(24) : random.nextInt(pages);
                if (store.addressStamp() != addressStamp) {
                    java.util.Arrays.fill(readAddress, 0);
                    addressStamp = store.addressStamp();
                }
                if (random.nextBoolean()) {
                    if (writeStampOf[id] != store.writeStamp()) {
                        writeAddress[id] = store.writeAddress(id);
                        writeStampOf[id] = store.writeStamp();
                    }
                    final UnsafeBuffer buffer = new UnsafeBuffer(writeAddress[id], PAGE);
                    TestPages.fill(buffer, id, ++versions[id]);
                } else {
                    long address = readAddress[id];
                    if (address == 0) {
                        address = store.readAddress(id);
                        if (store.addressStamp() == addressStamp) {
                            readAddress[id] = address;
                        }
                    }
                    assertThat(TestPages.versionOf(new UnsafeBuffer(address, PAGE), 0, PAGE, id))
                            .as("page %d at op %d, seed %d", id, op, seed)
                            .isEqualTo(versions[id]);
                }
                if (op % 10_000 == 9_999) {
                    store.completeSnapshot(store.beginSnapshot());
                }
            }
            for (int id = 0; id < pages; id++) {
                assertThat(read(store, cursor, id))
                        .as("page %d, seed %d", id, seed)
                        .isEqualTo(versions[id]);
            }
            assertThat(store.pageEvictions()).isPositive();
            assertThat(store.maxResidentBytesSeen()).isLessThanOrEqualTo(BUDGET);
        }
    }

    /** A caller that takes part of the budget for itself shrinks the frames; the excess is evicted, content kept. */
    @Test
    void aSmallerFrameBudgetEvictsTheExcessAndKeepsEveryPage() {
        try (PageStore store = open(256L * PAGE)) {
            final long[] ids = new long[256];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = store.allocatePage();
                TestPages.fill(new org.agrona.concurrent.UnsafeBuffer(store.writeAddress(ids[i]), PAGE), i, 7);
            }
            final long before = store.frameMemoryBytes();
            store.frameBudget(64L * PAGE);
            assertThat(store.frameMemoryBytes()).as("frame memory given back").isLessThan(before);
            final long extra = store.allocatePage();
            assertThat(store.residentBytes()).isLessThanOrEqualTo(64L * PAGE);
            for (int i = 0; i < ids.length; i++) {
                assertThat(TestPages.versionOf(
                                new org.agrona.concurrent.UnsafeBuffer(store.readAddress(ids[i]), PAGE), 0, PAGE, i))
                        .isEqualTo(7);
            }
            store.freePage(extra);
        }
    }
}
