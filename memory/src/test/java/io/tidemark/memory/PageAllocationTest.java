package io.tidemark.memory;

import static io.tidemark.memory.TestPages.PAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.StateAccessException;
import io.tidemark.StateSizeException;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PageAllocationTest {
    private static final int SEGMENT = 16 * PAGE;

    @TempDir
    Path dir;

    private PageStore open() {
        return PageStore.open(TestPages.context(dir, PAGE, SEGMENT, 4L * SEGMENT));
    }

    @Test
    void allocatesDistinctPagesAndGrowsBySegments() {
        try (PageStore store = open()) {
            assertThat(store.segmentCount()).isZero();
            final Set<Long> ids = new HashSet<>();
            for (int i = 0; i < 40; i++) {
                ids.add(store.allocatePage());
            }
            assertThat(ids).hasSize(40).allMatch(id -> id >= 0 && id < 48);
            assertThat(store.segmentCount()).isEqualTo(3);
            assertThat(store.pageCount()).isEqualTo(48);
            assertThat(store.allocatedPages()).isEqualTo(40);
            assertThat(store.segmentFiles())
                    .as("all pages fit the budget: no file is written")
                    .isZero();
            assertThat(Files.exists(dir.resolve("segment-000000.dat"))).isFalse();
        }
    }

    @Test
    void freedPageIsReusedAndZeroed() {
        try (PageStore store = open();
                PageCursor cursor = new PageCursor()) {
            final long a = store.allocatePage();
            store.acquireWrite(a, cursor);
            cursor.mutableBuffer().setMemory(0, PAGE, (byte) 0x5A);
            cursor.release();
            store.freePage(a);
            assertThat(store.allocatedPages()).isZero();

            final long b = store.allocatePage();
            assertThat(b).isEqualTo(a);
            store.acquireRead(b, cursor);
            for (int i = 0; i < PAGE; i += 8) {
                assertThat(cursor.buffer().getLong(i)).isZero();
            }
            cursor.release();
        }
    }

    @Test
    void contentSurvivesAcrossCursors() {
        try (PageStore store = open();
                PageCursor cursor = new PageCursor()) {
            final long[] ids = new long[20];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = store.allocatePage();
                try (PageCursor page = store.acquireWrite(ids[i], cursor)) {
                    TestPages.fill(page.mutableBuffer(), ids[i], i);
                }
            }
            for (int i = 0; i < ids.length; i++) {
                try (PageCursor page = store.acquireRead(ids[i], cursor)) {
                    assertThat(TestPages.versionOf(page.buffer(), 0, PAGE, ids[i]))
                            .isEqualTo(i);
                }
            }
        }
    }

    @Test
    void misuseIsRejectedWithTypedErrors() {
        try (PageStore store = open();
                PageCursor cursor = new PageCursor();
                PageCursor other = new PageCursor()) {
            final long a = store.allocatePage();
            assertThatThrownBy(() -> store.acquireRead(99, cursor))
                    .isInstanceOf(StateAccessException.class)
                    .hasMessageContaining("pageId=99");
            assertThatThrownBy(() -> store.acquireRead(a + 1, cursor))
                    .isInstanceOf(StateAccessException.class)
                    .hasMessageContaining("not allocated");
            store.acquireRead(a, cursor);
            assertThatThrownBy(() -> store.acquireWrite(a, cursor))
                    .isInstanceOf(StateAccessException.class)
                    .hasMessageContaining("already holds");
            assertThatThrownBy(cursor::mutableBuffer).isInstanceOf(StateAccessException.class);
            cursor.release();
            assertThatThrownBy(cursor::release).isInstanceOf(StateAccessException.class);
            store.freePage(a);
            assertThatThrownBy(() -> store.freePage(a)).isInstanceOf(StateAccessException.class);
            assertThatThrownBy(() -> store.acquireWrite(a, other)).isInstanceOf(StateAccessException.class);
            assertThat(other.isAcquired()).isFalse();
        }
    }

    @Test
    void releasedCursorNoLongerReachesPageMemory() {
        try (PageStore store = open();
                PageCursor cursor = new PageCursor()) {
            final long a = store.allocatePage();
            store.acquireWrite(a, cursor);
            cursor.mutableBuffer().putLong(0, 7L, ByteOrder.LITTLE_ENDIAN);
            cursor.release();
            assertThat(cursor.buffer().capacity()).isZero();
            assertThatThrownBy(() -> cursor.buffer().getLong(0)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void storeSizeLimitIsAStateSizeError() {
        final PageStoreContext context =
                TestPages.context(dir, PAGE, SEGMENT, 2L * SEGMENT).maxStoreSize(2L * SEGMENT);
        try (PageStore store = PageStore.open(context)) {
            for (int i = 0; i < 32; i++) {
                store.allocatePage();
            }
            assertThatThrownBy(store::allocatePage)
                    .isInstanceOf(StateSizeException.class)
                    .hasMessageContaining("maxStoreSize=" + 2L * SEGMENT);
            assertThat(store.allocatedPages()).isEqualTo(32);
        }
    }

    @Test
    void secondStoreOnTheSameDirectoryFailsFast() {
        try (PageStore store = open()) {
            store.allocatePage();
            assertThatThrownBy(this::open)
                    .isInstanceOf(StateAccessException.class)
                    .hasMessageContaining(PageStore.LOCK_FILE);
        }
    }

    @Test
    void leftoverSegmentsAreDeletedOnOpenAndOwnFilesOnClose() throws IOException {
        Files.write(dir.resolve("segment-000007.dat"), new byte[] {1, 2, 3});
        Files.write(dir.resolve("unrelated.txt"), new byte[] {1});
        try (PageStore store = open()) {
            assertThat(Files.exists(dir.resolve("segment-000007.dat"))).isFalse();
            for (int i = 0; i < 5 * 16; i++) {
                store.allocatePage(); // more than the 4-segment budget: early pages are written back
            }
            assertThat(Files.size(dir.resolve("segment-000000.dat"))).isBetween(1L, (long) SEGMENT);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("unrelated.txt", PageStore.LOCK_FILE);
        }
    }

    @Test
    void closedStoreRejectsCalls() {
        final PageStore store = open();
        store.close();
        store.close();
        assertThatThrownBy(store::allocatePage).isInstanceOf(StateAccessException.class);
    }
}
