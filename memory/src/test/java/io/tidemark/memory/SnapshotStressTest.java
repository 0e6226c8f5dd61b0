package io.tidemark.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * X1 of the reliability matrix, two threads: the owner hammers whole-page writes (plus frees and allocations) while a
 * snapshot thread reads every page of the snapshot in a random order; each page must equal the version the owner had
 * written before {@code beginSnapshot()}, untorn. A small budget keeps the owner loading and evicting pages. Seeded:
 * {@code -Dtidemark.test.seed=N} reruns a failing run.
 */
class SnapshotStressTest {
    private static final int PAGE = 4096;
    private static final int SEGMENT = 16 * PAGE;
    private static final int PAGES = 128;
    private static final int SNAPSHOTS = 150;
    private static final int MAX_ID = 4096;

    @TempDir
    Path dir;

    private record Job(PageSnapshot snapshot, long[] expected) {}

    @Test
    @Timeout(60)
    void snapshotEqualsStateAtBeginWhileTheOwnerWrites() throws Exception {
        final long seed = Long.getLong("tidemark.test.seed", System.nanoTime());
        System.out.println("SnapshotStressTest seed=" + seed + " (rerun with -Dtidemark.test.seed=" + seed + ")");
        final SplittableRandom random = new SplittableRandom(seed);
        final BlockingQueue<Job> jobs = new ArrayBlockingQueue<>(1);
        final AtomicLong finished = new AtomicLong();
        final AtomicReference<Throwable> readerFailure = new AtomicReference<>();
        final Thread reader = new Thread(() -> readSnapshots(jobs, finished, readerFailure, seed), "snapshot-reader");

        try (PageStore store = PageStore.open(TestPages.context(dir, PAGE, SEGMENT, 4L * SEGMENT));
                PageCursor cursor = new PageCursor()) {
            final long[] versionById = new long[MAX_ID];
            final long[] slotId = new long[PAGES];
            long counter = 0;
            for (int slot = 0; slot < PAGES; slot++) {
                slotId[slot] = store.allocatePage();
                writePage(store, cursor, slotId[slot], versionById[(int) slotId[slot]] = ++counter);
            }
            reader.start();
            long writes = 0;
            for (int n = 0; n < SNAPSHOTS && readerFailure.get() == null; n++) {
                final PageSnapshot snapshot = store.beginSnapshot();
                jobs.put(new Job(snapshot, versionById.clone()));
                // Keep writing until the reader is done with this snapshot; the first burst is guaranteed.
                int burst = 0;
                while ((finished.get() <= n || burst < 200) && readerFailure.get() == null) {
                    final int slot = random.nextInt(PAGES);
                    if (slotId[slot] < 0) {
                        slotId[slot] = store.allocatePage();
                        assertThat(slotId[slot]).isLessThan(MAX_ID);
                        writePage(store, cursor, slotId[slot], versionById[(int) slotId[slot]] = ++counter);
                    } else if (random.nextInt(64) == 0) {
                        store.freePage(slotId[slot]);
                        versionById[(int) slotId[slot]] = 0;
                        slotId[slot] = -1;
                    } else {
                        writePage(store, cursor, slotId[slot], versionById[(int) slotId[slot]] = ++counter);
                    }
                    writes++;
                    burst++;
                }
                if (random.nextBoolean()) {
                    store.completeSnapshot(snapshot);
                } else {
                    store.endSnapshot(snapshot);
                }
            }
            jobs.put(new Job(null, null));
            reader.join();
            if (readerFailure.get() != null) {
                throw new AssertionError("snapshot reader failed, seed=" + seed, readerFailure.get());
            }
            System.out.println("SnapshotStressTest writes=" + writes + ", copies=" + store.copiesOnWrite() + ", loads="
                    + store.pageLoads() + ", evictions=" + store.pageEvictions());
            assertThat(store.copiesOnWrite()).isPositive();
            assertThat(store.pageEvictions()).isPositive();
        } finally {
            reader.interrupt();
            reader.join();
        }
    }

    private static void writePage(PageStore store, PageCursor cursor, long id, long version) {
        try (PageCursor page = store.acquireWrite(id, cursor)) {
            TestPages.fill(page.mutableBuffer(), id, version);
        }
    }

    private static void readSnapshots(
            BlockingQueue<Job> jobs, AtomicLong finished, AtomicReference<Throwable> failure, long seed) {
        final UnsafeBuffer target = new UnsafeBuffer(new byte[PAGE]);
        final SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        try {
            for (Job job = jobs.take(); job.snapshot() != null; job = jobs.take()) {
                final int[] order = shuffled(random, (int) job.snapshot().pageCount());
                for (int id : order) {
                    final boolean live = job.expected()[id] > 0;
                    assertThat(job.snapshot().contains(id))
                            .as("page %d live at begin", id)
                            .isEqualTo(live);
                    if (live) {
                        job.snapshot().readPage(id, target, 0);
                        final long actual = TestPages.versionOf(target, 0, PAGE, id);
                        if (actual != job.expected()[id]) {
                            throw new AssertionError(
                                    "snapshot epoch=" + job.snapshot().epoch() + ", page=" + id + ", expected version="
                                            + job.expected()[id] + ", actual=" + actual);
                        }
                    }
                }
                finished.incrementAndGet();
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (Throwable ex) {
            failure.set(ex);
            finished.set(Long.MAX_VALUE);
        }
    }

    private static int[] shuffled(SplittableRandom random, int count) {
        final int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        for (int i = count - 1; i > 0; i--) {
            final int j = random.nextInt(i + 1);
            final int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
