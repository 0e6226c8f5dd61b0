package io.tidemark.memory;

import static io.tidemark.memory.TestPages.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The reader-pin protocol of {@link Residency}, driven directly: a pinned frame survives eviction rounds. */
@Timeout(30)
class ReaderPinTest {
    private static final int FRAMES = 8;
    private static final int PAGES = 64;

    @TempDir
    Path dir;

    private SegmentFiles files;
    private Residency residency;
    private Segment segment;

    @BeforeEach
    void open() {
        files = new SegmentFiles(dir, PAGE, FileChannelFactory.DEFAULT);
        residency = new Residency(files, (long) FRAMES * PAGE, PAGE);
        segment = new Segment(0, files.pathOf(0), PAGES);
    }

    @AfterEach
    void close() {
        residency.releaseAll();
        files.closeChannels();
    }

    private void allocate(int index, long version) {
        TestPages.fill(new UnsafeBuffer(residency.fresh(segment, index), PAGE), index, version);
    }

    private long versionAt(long address, int index) {
        return TestPages.versionOf(new UnsafeBuffer(address, PAGE), 0, PAGE, index);
    }

    @Test
    void pinnedFrameIsSkippedByEvictionAndTheFileHoldsItOnceReleased() {
        for (int i = 0; i < FRAMES; i++) {
            allocate(i, 1);
        }
        final long pinned = residency.readerPin(segment, 0);
        assertThat(pinned).isEqualTo(segment.frames[0] & Segment.ADDRESS_MASK);
        for (int i = FRAMES; i < PAGES; i++) {
            allocate(i, 2);
        }
        assertThat(residency.evictions()).isGreaterThanOrEqualTo(PAGES - 2L * FRAMES);
        assertThat(segment.sharedFrames.get(0)).as("still page 0's frame").isEqualTo(pinned);
        assertThat(versionAt(pinned, 0)).isEqualTo(1);
        assertThat(segment.frames[0] & Segment.DIRTY)
                .as("written back while pinned, kept")
                .isZero();
        residency.readerUnpin(segment, 0);

        for (int round = 0; round < 2; round++) {
            for (int i = FRAMES; i < PAGES; i++) {
                residency.touch(segment, i);
            }
        }
        assertThat(segment.sharedFrames.get(0)).as("evicted once unpinned").isZero();
        assertThat(residency.readerPin(segment, 0))
                .as("no frame: the reader reads the file")
                .isZero();
        assertThat(segment.readerPins.get(0)).isZero();
        assertThat(versionAt(residency.touch(segment, 0) & Segment.ADDRESS_MASK, 0))
                .isEqualTo(1);
        assertThat(residency.overBudgetFrames()).isZero();
    }

    @Test
    void everyFramePinnedGoesOverBudget() {
        for (int i = 0; i < FRAMES; i++) {
            allocate(i, 3);
            residency.readerPin(segment, i);
        }
        allocate(FRAMES, 3);
        assertThat(residency.overBudgetFrames()).isEqualTo(1);
        assertThat(residency.residentBytes()).isEqualTo((FRAMES + 1L) * PAGE);
        for (int i = 0; i < FRAMES; i++) {
            residency.readerUnpin(segment, i);
        }
        allocate(FRAMES + 1, 3);
        assertThat(residency.residentBytes()).isLessThanOrEqualTo((long) FRAMES * PAGE);
    }

    /**
     * Two snapshot readers pin one resident page at the same time: a reader that loses the pin-count race to the other
     * retries; it must never take the page for one without a frame (it would read a segment file that, for a page
     * never written back, does not exist).
     */
    @Test
    void readersRacingForOnePinBothGetTheFrame() throws Exception {
        allocate(0, 1);
        final long frame = segment.frames[0] & Segment.ADDRESS_MASK;
        final java.util.concurrent.atomic.AtomicLong misses = new java.util.concurrent.atomic.AtomicLong();
        final Runnable reader = () -> {
            for (int i = 0; i < 200_000; i++) {
                final long address = residency.readerPin(segment, 0);
                if (address != frame) {
                    misses.incrementAndGet();
                } else {
                    residency.readerUnpin(segment, 0);
                }
            }
        };
        final Thread a = new Thread(reader);
        final Thread b = new Thread(reader);
        a.start();
        b.start();
        a.join();
        b.join();
        assertThat(misses.get()).isZero();
        assertThat(segment.readerPins.get(0)).isZero();
    }
}
