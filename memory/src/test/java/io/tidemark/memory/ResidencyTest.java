package io.tidemark.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ResidencyTest {
    private static final int MIB = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void evictedSegmentIsMappedBackWithItsContent() {
        final int page = 4096;
        final int segment = 16 * page;
        try (PageStore store = PageStore.open(TestPages.context(dir, page, segment, 2L * segment));
                PageCursor cursor = new PageCursor()) {
            final int pages = 6 * 16;
            for (int i = 0; i < pages; i++) {
                final long id = store.allocatePage();
                try (PageCursor p = store.acquireWrite(id, cursor)) {
                    TestPages.fill(p.mutableBuffer(), id, 10 + i);
                }
                assertThat(store.residentBytes()).isLessThanOrEqualTo(2L * segment);
            }
            assertThat(store.segmentEvictions()).isGreaterThanOrEqualTo(4);
            final long mapsBefore = store.segmentMaps();
            for (int i = 0; i < pages; i++) {
                try (PageCursor p = store.acquireRead(i, cursor)) {
                    assertThat(TestPages.versionOf(p.buffer(), 0, page, i)).isEqualTo(10 + i);
                }
            }
            assertThat(store.segmentMaps())
                    .as("segment 0 was evicted and mapped again")
                    .isGreaterThan(mapsBefore);
            assertThat(store.maxResidentBytesSeen()).isLessThanOrEqualTo(2L * segment);
            assertThat(store.overBudgetMaps()).isZero();
        }
    }

    @Test
    void hotSegmentSurvivesAScanOfColdOnes() {
        final int page = 4096;
        final int segment = 16 * page;
        try (PageStore store = PageStore.open(TestPages.context(dir, page, segment, 4L * segment));
                PageCursor cursor = new PageCursor()) {
            final int segments = 12;
            for (int i = 0; i < segments * 16; i++) {
                store.allocatePage();
            }
            final long mapsBefore = store.segmentMaps();
            final long hot = 0;
            for (int round = 0; round < 3; round++) {
                for (int s = 1; s < segments; s++) {
                    store.acquireRead(hot, cursor).release();
                    store.acquireRead(s * 16L, cursor).release();
                }
            }
            // Each round maps the 11 cold segments once; the hot one is never evicted, so never mapped again.
            final long maps = store.segmentMaps() - mapsBefore;
            assertThat(maps).isLessThanOrEqualTo(3L * (segments - 1) + 1);
            assertThat(store.maxResidentBytesSeen()).isLessThanOrEqualTo(4L * segment);
        }
    }

    @Test
    void pinnedSegmentIsNeverEvicted() {
        final int page = 4096;
        final int segment = 16 * page;
        try (PageStore store = PageStore.open(TestPages.context(dir, page, segment, 2L * segment));
                PageCursor held = new PageCursor();
                PageCursor cursor = new PageCursor()) {
            final long first = store.allocatePage();
            store.acquireWrite(first, held);
            TestPages.fill(held.mutableBuffer(), first, 1);
            for (int i = 1; i < 8 * 16; i++) {
                final long id = store.allocatePage();
                try (PageCursor p = store.acquireWrite(id, cursor)) {
                    TestPages.fill(p.mutableBuffer(), id, 2);
                }
            }
            assertThat(store.segmentEvictions()).isGreaterThanOrEqualTo(6);
            // Still mapped: the held cursor's memory is valid and writable after all that churn.
            assertThat(TestPages.versionOf(held.buffer(), 0, page, first)).isEqualTo(1);
            TestPages.fill(held.mutableBuffer(), first, 3);
            held.release();
            try (PageCursor p = store.acquireRead(first, cursor)) {
                assertThat(TestPages.versionOf(p.buffer(), 0, page, first)).isEqualTo(3);
            }
        }
    }

    @Test
    void allPinnedMapsOverBudgetInsteadOfFailing() {
        final int page = 4096;
        final int segment = 16 * page;
        try (PageStore store = PageStore.open(TestPages.context(dir, page, segment, 2L * segment));
                PageCursor a = new PageCursor();
                PageCursor b = new PageCursor();
                PageCursor c = new PageCursor()) {
            for (int i = 0; i < 3 * 16; i++) {
                store.allocatePage();
            }
            store.acquireRead(0, a);
            store.acquireRead(16, b);
            store.acquireRead(32, c);
            assertThat(store.overBudgetMaps()).isEqualTo(1);
            a.release();
            b.release();
            c.release();
            store.acquireRead(1, a);
            a.release();
            assertThat(store.residentBytes()).isLessThanOrEqualTo(3L * segment);
        }
    }

    @Test
    void segmentThatCannotBeMappedAgainFailsTheAcquireAndLeaksNothing() throws Exception {
        final int page = 4096;
        final int segment = 16 * page;
        try (PageStore store = PageStore.open(TestPages.context(dir, page, segment, 2L * segment));
                PageCursor cursor = new PageCursor()) {
            for (int i = 0; i < 3 * 16; i++) {
                store.allocatePage();
            }
            store.freePage(0);
            store.acquireRead(16, cursor).release();
            store.acquireRead(32, cursor).release();
            java.nio.file.Files.delete(dir.resolve("segment-000000.dat")); // segment 0 is evicted by now

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.acquireRead(1, cursor))
                    .isInstanceOf(io.tidemark.StorageIOException.class)
                    .hasMessageContaining("segment-000000.dat");
            assertThat(cursor.isAcquired()).isFalse();
            for (int attempt = 0; attempt < 2; attempt++) {
                // The popped id goes back each time, so the same page is tried again: nothing leaks.
                org.assertj.core.api.Assertions.assertThatThrownBy(store::allocatePage)
                        .isInstanceOf(io.tidemark.StorageIOException.class);
            }
            assertThat(store.allocatedPages()).isEqualTo(47);
            try (PageCursor p = store.acquireWrite(17, cursor)) {
                TestPages.fill(p.mutableBuffer(), 17, 5);
            }
        }
    }

    /** 64 MiB of pages through an 8 MiB budget in 1 MiB segments, every page written then read back. */
    @Test
    void dataFarLargerThanTheBudgetReadsBack() {
        final int page = 64 * 1024;
        final long budget = 8L * MIB;
        try (PageStore store = PageStore.open(TestPages.context(dir, page, MIB, budget));
                PageCursor cursor = new PageCursor()) {
            final int pages = 64 * MIB / page;
            for (int i = 0; i < pages; i++) {
                final long id = store.allocatePage();
                try (PageCursor p = store.acquireWrite(id, cursor)) {
                    TestPages.fill(p.mutableBuffer(), id, i * 7L);
                }
            }
            assertThat(store.segmentCount()).isEqualTo(64);
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < pages; i++) {
                    final long id = round == 0 ? i : pages - 1 - i;
                    try (PageCursor p = store.acquireRead(id, cursor)) {
                        assertThat(TestPages.versionOf(p.buffer(), 0, page, id)).isEqualTo(id * 7L);
                    }
                }
            }
            assertThat(store.maxResidentBytesSeen()).isLessThanOrEqualTo(budget);
            assertThat(store.segmentEvictions()).isGreaterThanOrEqualTo(64 + 56);
        }
    }

    @Test
    void snapshotReaderReadsUnmappedSegmentsFromTheFileAndNeverMaps() {
        final int page = 4096;
        final int segment = 16 * page;
        try (PageStore store = PageStore.open(TestPages.context(dir, page, segment, 2L * segment))) {
            final int pages = 6 * 16;
            for (int i = 0; i < pages; i++) {
                final long id = store.allocatePage();
                TestPages.fill(new org.agrona.concurrent.UnsafeBuffer(store.writeAddress(id), page), id, 5);
            }
            final PageSnapshot snapshot = store.beginSnapshot();
            final long mapsBefore = store.segmentMaps();
            final org.agrona.concurrent.UnsafeBuffer copy = new org.agrona.concurrent.UnsafeBuffer(new byte[page]);
            for (long id = snapshot.nextLivePage(0); id >= 0; id = snapshot.nextLivePage(id + 1)) {
                snapshot.readPage(id, copy, 0);
                assertThat(TestPages.versionOf(copy, 0, page, id)).isEqualTo(5);
            }
            assertThat(store.segmentMaps()).as("the reader never maps").isEqualTo(mapsBefore);
            assertThat(snapshot.fileReads()).as("4 of 6 segments were unmapped").isEqualTo(4L * 16);
            store.completeSnapshot(snapshot);
        }
    }

    @Test
    void ownerAddressesNeedNoPinAndSurviveEvictionOfOtherSegments() {
        final int page = 4096;
        final int segment = 16 * page;
        try (PageStore store = PageStore.open(TestPages.context(dir, page, segment, 2L * segment))) {
            final int pages = 8 * 16;
            for (int i = 0; i < pages; i++) {
                store.allocatePage();
            }
            for (int round = 0; round < 3; round++) {
                for (long id = 0; id < pages; id++) {
                    final long address = store.writeAddress(id);
                    TestPages.fill(new org.agrona.concurrent.UnsafeBuffer(address, page), id, round);
                }
            }
            for (long id = 0; id < pages; id++) {
                assertThat(TestPages.versionOf(
                                new org.agrona.concurrent.UnsafeBuffer(store.readAddress(id), page), 0, page, id))
                        .isEqualTo(2);
            }
            assertThat(store.maxResidentBytesSeen()).isLessThanOrEqualTo(2L * segment);
        }
    }
}
