package io.tidemark.memory;

import static io.tidemark.memory.TestPages.PAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.StorageIOException;
import io.tidemark.StorageSpaceException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Segment files: created sparse at the first write-back, and what a full disk or a failing disk does to it. */
@Timeout(30)
class SegmentWriteBackTest {
    private static final int SEGMENT = 1024 * 1024;
    /** 32 frames of 4 KiB. */
    private static final long BUDGET = 32L * PAGE;

    @TempDir
    Path dir;

    private PageStoreContext context(FileChannelFactory channels) {
        return TestPages.context(dir, PAGE, SEGMENT, BUDGET).fileChannelFactory(channels);
    }

    private static long write(PageStore store, PageCursor cursor, long version) {
        final long id = store.allocatePage();
        try (PageCursor page = store.acquireWrite(id, cursor)) {
            TestPages.fill(page.mutableBuffer(), id, version);
        }
        return id;
    }

    private static long read(PageStore store, PageCursor cursor, long id) {
        try (PageCursor page = store.acquireRead(id, cursor)) {
            return TestPages.versionOf(page.buffer(), 0, PAGE, id);
        }
    }

    @Test
    void segmentFileIsCreatedSparseAtTheFirstWriteBack() throws Exception {
        try (PageStore store = PageStore.open(context(FileChannelFactory.DEFAULT));
                PageCursor cursor = new PageCursor()) {
            for (int i = 0; i < 32; i++) {
                write(store, cursor, 1);
            }
            final Path segment = dir.resolve("segment-000000.dat");
            assertThat(segment)
                    .as("everything fits the budget: nothing written")
                    .doesNotExist();
            write(store, cursor, 1);
            assertThat(segment).exists();
            assertThat(store.segmentFiles()).isEqualTo(1);
            assertThat(Files.size(segment)).as("only written pages extend it").isLessThanOrEqualTo(4L * PAGE);
            assertThat(allocatedBytes(segment)).as("no preallocation").isLessThan(SEGMENT);
        }
    }

    /** st_blocks * block unit from stat(1): what the file system really reserved. */
    private static long allocatedBytes(Path path) throws IOException, InterruptedException {
        final Process stat = new ProcessBuilder("stat", "-c", "%b %B", path.toString())
                .redirectErrorStream(true)
                .start();
        final String out = new String(stat.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(stat.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(stat.exitValue()).as(out).isZero();
        final String[] fields = out.split(" ");
        return Long.parseLong(fields[0]) * Long.parseLong(fields[1]);
    }

    @Test
    void diskFullAtWriteBackIsAStorageSpaceErrorAndNothingIsLost() {
        // Room for ten and a half pages: the eleventh write-back fails half-way.
        final FaultyChannels channels = new FaultyChannels(10L * PAGE + PAGE / 2, "No space left on device");
        try (PageStore store = PageStore.open(context(channels));
                PageCursor cursor = new PageCursor()) {
            int written = 0;
            StorageSpaceException failure = null;
            while (failure == null) {
                try {
                    write(store, cursor, 100 + written);
                    written++;
                } catch (StorageSpaceException ex) {
                    failure = ex;
                }
            }
            assertThat(failure)
                    .hasMessageContaining("file=" + dir.resolve("segment-000000.dat"))
                    .hasMessageContaining("No space left on device");
            assertThat(written).isEqualTo(32 + 10);
            assertThat(store.allocatedPages())
                    .as("the failed allocation gave its id back")
                    .isEqualTo(written);
            assertThat(store.writeBackSpaceFailures()).isPositive();
            assertThat(store.residentBytes()).isLessThanOrEqualTo(BUDGET);

            // Still full: a page that must come back needs a frame, and every resident page is dirty.
            assertThatThrownBy(() -> read(store, cursor, 0)).isInstanceOf(StorageSpaceException.class);
            assertThat(cursor.isAcquired()).isFalse();
            // Resident pages are still usable meanwhile.
            assertThat(read(store, cursor, written - 1)).isEqualTo(100 + written - 1);

            channels.quota(Long.MAX_VALUE);
            for (long id = 0; id < written; id++) {
                assertThat(read(store, cursor, id)).as("page %d", id).isEqualTo(100 + id);
            }
            write(store, cursor, 7);
        }
    }

    @Test
    void fileSizeLimitIsAStorageSpaceError() {
        final FaultyChannels channels = new FaultyChannels(PAGE, "File too large");
        try (PageStore store = PageStore.open(context(channels));
                PageCursor cursor = new PageCursor()) {
            assertThatThrownBy(() -> {
                        for (int i = 0; i < 64; i++) {
                            write(store, cursor, 1);
                        }
                    })
                    .isInstanceOf(StorageSpaceException.class)
                    .hasMessageContaining("segment-000000.dat")
                    .hasMessageContaining("File too large");
        }
    }

    @Test
    void otherIoFailureIsAStorageIoErrorNamingTheFile() {
        final FaultyChannels channels = new FaultyChannels(0, "Input/output error");
        try (PageStore store = PageStore.open(context(channels));
                PageCursor cursor = new PageCursor()) {
            for (int i = 0; i < 32; i++) {
                write(store, cursor, 2);
            }
            assertThatThrownBy(() -> write(store, cursor, 2))
                    .isInstanceOf(StorageIOException.class)
                    .hasMessageContaining("segment-000000.dat")
                    .hasMessageContaining("Input/output error");
            assertThat(store.allocatedPages()).isEqualTo(32);
            for (long id = 0; id < 32; id++) {
                assertThat(read(store, cursor, id)).isEqualTo(2);
            }
        }
    }

    @Test
    void copyOnWriteThatNeedsAFrameOnAFullDiskFailsCleanly() {
        final FaultyChannels channels = new FaultyChannels(0, "No space left on device");
        try (PageStore store = PageStore.open(context(channels));
                PageCursor cursor = new PageCursor()) {
            for (int i = 0; i < 32; i++) {
                write(store, cursor, 1);
            }
            final PageSnapshot snapshot = store.beginSnapshot();
            assertThatThrownBy(() -> store.acquireWrite(0, cursor)).isInstanceOf(StorageSpaceException.class);
            assertThat(cursor.isAcquired()).isFalse();
            // Nothing was written: the snapshot still reads the page from the live copy.
            final UnsafeBuffer target = new UnsafeBuffer(new byte[PAGE]);
            snapshot.readPage(0, target, 0);
            assertThat(TestPages.versionOf(target, 0, PAGE, 0)).isEqualTo(1);
            store.endSnapshot(snapshot);
            // After the snapshot, a write needs no side page and so no frame.
            try (PageCursor page = store.acquireWrite(0, cursor)) {
                TestPages.fill(page.mutableBuffer(), 0, 2);
            }
            channels.quota(Long.MAX_VALUE);
            for (int i = 0; i < 40; i++) {
                write(store, cursor, 3);
            }
            assertThat(read(store, cursor, 0)).isEqualTo(2);
        }
    }
}
