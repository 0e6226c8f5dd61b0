package io.tidemark.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * X1 of the reliability matrix, three threads: the owner writes whole pages through {@code writeAddress} (plus frees
 * and allocations) and keeps up to four snapshots in flight, full and incremental, handed alternately to two reader
 * threads; each reader reads its snapshot's read set in a random order, and every page must equal the version the
 * owner had written before that snapshot began, untorn (the {@link TestPages} fill patterns). The owner ends each
 * snapshot when its reader reports back (a queue: the happens-before edge), confirms most of them, and never waits
 * for a reader. A budget of three segments of pages keeps the owner loading and evicting and the readers reading
 * segment files. Seeded: {@code -Dtidemark.test.seed=N} reruns a failing run.
 */
class MultiSnapshotStressTest {
    private static final int PAGE = 4096;
    private static final int SEGMENT = 16 * PAGE;
    private static final int PAGES = 96;
    private static final int SNAPSHOTS = 400;
    private static final int MAX_ID = 8192;
    private static final int IN_FLIGHT = 4;

    @TempDir
    Path dir;

    /** What a reader must find: the versions at begin, and the pages changed since the last confirmed begin. */
    private record Job(PageSnapshot snapshot, long[] expected, boolean[] changed) {}

    private static final Job STOP = new Job(null, null, null);

    @Test
    @Timeout(120)
    void everySnapshotEqualsTheStateAtItsBeginWhileTheOwnerWrites() throws Exception {
        final long seed = Long.getLong("tidemark.test.seed", System.nanoTime());
        System.out.println("MultiSnapshotStressTest seed=" + seed + " (rerun with -Dtidemark.test.seed=" + seed + ")");
        final SplittableRandom random = new SplittableRandom(seed);
        final List<BlockingQueue<Job>> jobs = List.of(new LinkedBlockingQueue<>(), new LinkedBlockingQueue<>());
        final ConcurrentLinkedQueue<PageSnapshot> done = new ConcurrentLinkedQueue<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicLong versionReads = new AtomicLong();
        final AtomicLong fileReads = new AtomicLong();
        final AtomicLong retries = new AtomicLong();
        final List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < jobs.size(); r++) {
            final BlockingQueue<Job> queue = jobs.get(r);
            final long readerSeed = seed + r + 1;
            readers.add(new Thread(
                    () -> read(queue, done, failure, versionReads, fileReads, retries, readerSeed),
                    "snapshot-reader-" + r));
        }
        try (PageStore store = PageStore.open(
                TestPages.context(dir, PAGE, SEGMENT, 3L * SEGMENT).maxSnapshotsInFlight(IN_FLIGHT))) {
            final long[] versionById = new long[MAX_ID];
            final int[] changedAt = new int[MAX_ID]; // begins counted when the page last changed
            final long[] slotId = new long[PAGES];
            long counter = 0;
            for (int slot = 0; slot < PAGES; slot++) {
                slotId[slot] = store.allocatePage();
                write(store, slotId[slot], versionById[(int) slotId[slot]] = ++counter);
            }
            readers.forEach(Thread::start);
            int begun = 0;
            int confirmedBegin = -1;
            int inFlight = 0;
            final int[] beginOf = new int[SNAPSHOTS + 1];
            final List<PageSnapshot> byEpoch = new ArrayList<>();
            long writes = 0;
            while ((begun < SNAPSHOTS || inFlight > 0) && failure.get() == null) {
                for (PageSnapshot finished = done.poll(); finished != null; finished = done.poll()) {
                    store.endSnapshot(finished);
                    inFlight--;
                    if (random.nextInt(5) != 0) {
                        store.confirmSnapshot(finished);
                        confirmedBegin = Math.max(confirmedBegin, beginOf[byEpoch.indexOf(finished)]);
                    }
                }
                if (begun < SNAPSHOTS && inFlight < IN_FLIGHT && random.nextInt(4) == 0) {
                    final PageSnapshot snapshot =
                            random.nextBoolean() ? store.beginIncrementalSnapshot() : store.beginSnapshot();
                    final boolean[] changed = new boolean[MAX_ID];
                    for (int id = 0; id < MAX_ID; id++) {
                        changed[id] = versionById[id] > 0 && (confirmedBegin < 0 || changedAt[id] > confirmedBegin);
                    }
                    beginOf[byEpoch.size()] = begun;
                    byEpoch.add(snapshot);
                    jobs.get(begun % 2).put(new Job(snapshot, versionById.clone(), changed));
                    begun++;
                    inFlight++;
                }
                for (int burst = 0; burst < 50; burst++) {
                    final int slot = random.nextInt(PAGES);
                    if (slotId[slot] < 0) {
                        slotId[slot] = store.allocatePage();
                        assertThat(slotId[slot]).isLessThan(MAX_ID);
                        changedAt[(int) slotId[slot]] = begun;
                        write(store, slotId[slot], versionById[(int) slotId[slot]] = ++counter);
                    } else if (random.nextInt(64) == 0) {
                        store.freePage(slotId[slot]);
                        versionById[(int) slotId[slot]] = 0;
                        slotId[slot] = -1;
                    } else {
                        changedAt[(int) slotId[slot]] = begun;
                        write(store, slotId[slot], versionById[(int) slotId[slot]] = ++counter);
                    }
                    writes++;
                }
            }
            for (BlockingQueue<Job> queue : jobs) {
                queue.put(STOP);
            }
            for (Thread reader : readers) {
                reader.join();
            }
            if (failure.get() != null) {
                throw new AssertionError("snapshot reader failed, seed=" + seed, failure.get());
            }
            System.out.println("MultiSnapshotStressTest writes=" + writes + ", copies=" + store.copiesOnWrite()
                    + ", loads=" + store.pageLoads() + ", evictions=" + store.pageEvictions() + ", segments="
                    + store.segmentCount() + ", versionReads=" + versionReads + ", fileReads=" + fileReads
                    + ", raced copies=" + retries);
            assertThat(store.snapshotsInFlight()).isZero();
            assertThat(store.sidePages()).isZero();
            assertThat(store.retiredPages()).isZero();
            assertThat(store.copiesOnWrite()).isPositive();
            assertThat(versionReads.get()).as("readers read preserved versions").isPositive();
            assertThat(store.pageEvictions()).isPositive();
        } finally {
            for (Thread reader : readers) {
                reader.interrupt();
                reader.join();
            }
        }
    }

    private static void write(PageStore store, long id, long version) {
        TestPages.fill(new UnsafeBuffer(store.writeAddress(id), PAGE), id, version);
    }

    private static void read(
            BlockingQueue<Job> jobs,
            ConcurrentLinkedQueue<PageSnapshot> done,
            AtomicReference<Throwable> failure,
            AtomicLong versionReads,
            AtomicLong fileReads,
            AtomicLong retries,
            long seed) {
        final UnsafeBuffer target = new UnsafeBuffer(new byte[PAGE]);
        final SplittableRandom random = new SplittableRandom(seed);
        try {
            for (Job job = jobs.take(); job != STOP; job = jobs.take()) {
                final PageSnapshot snapshot = job.snapshot();
                final List<Long> readSet = new ArrayList<>();
                for (long id = snapshot.nextDirtyPage(0); id >= 0; id = snapshot.nextDirtyPage(id + 1)) {
                    assertThat(job.expected()[(int) id])
                            .as("listed page %d live at begin", id)
                            .isPositive();
                    if (snapshot.isIncremental() || random.nextBoolean()) {
                        readSet.add(id);
                    }
                }
                for (int id = 0; id < snapshot.pageCount(); id++) {
                    if (job.changed()[id]) {
                        assertThat(snapshot.inReadSet(id))
                                .as("changed page %d in read set", id)
                                .isTrue();
                    }
                    if (!snapshot.isIncremental() && job.expected()[id] > 0 && !readSet.contains((long) id)) {
                        readSet.add((long) id); // a full snapshot reads unlisted pages too
                    }
                }
                for (int i = readSet.size() - 1; i > 0; i--) {
                    final int j = random.nextInt(i + 1);
                    final long t = readSet.get(i);
                    readSet.set(i, readSet.get(j));
                    readSet.set(j, t);
                }
                for (long id : readSet) {
                    snapshot.readPage(id, target, 0);
                    final long actual = TestPages.versionOf(target, 0, PAGE, id);
                    if (actual != job.expected()[(int) id]) {
                        throw new AssertionError("snapshot " + snapshot + ", page=" + id + ", expected version="
                                + job.expected()[(int) id] + ", actual=" + actual);
                    }
                }
                versionReads.addAndGet(snapshot.versionReads());
                fileReads.addAndGet(snapshot.fileReads());
                retries.addAndGet(snapshot.retries());
                done.add(snapshot);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (Throwable ex) {
            failure.set(ex);
        }
    }
}
