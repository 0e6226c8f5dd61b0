package io.tidemark.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * X1 of the reliability matrix, single-threaded: random allocations, frees and writes interleaved with snapshot
 * begin / read / complete / abort, checked against a model. Tiny segments and a two-segment budget make eviction and
 * growth happen all the time. jqwik prints the seed; rerun with {@code @Property(seed = "...")}.
 */
class PageStorePropertyTest {
    private static final int PAGE = 4096;
    private static final int SEGMENT = 4 * PAGE;
    private static final int MAX_LIVE = 40;

    record Op(int kind, int a, int b) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        final Arbitrary<Op> op = Combinators.combine(
                        Arbitraries.integers().between(0, 12),
                        Arbitraries.integers().between(0, 1 << 20),
                        Arbitraries.integers().between(0, 1 << 20))
                .as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(160);
    }

    @Property(tries = 150)
    void storeAndSnapshotsEqualTheModel(@ForAll("ops") List<Op> ops) throws IOException {
        final Path dir = Files.createTempDirectory("tidemark-pages-prop");
        try {
            new Run(dir).execute(ops);
        } finally {
            TestPages.deleteTree(dir);
        }
    }

    private static final class Run {
        private final PageStore store;
        private final PageCursor cursor = new PageCursor();
        private final UnsafeBuffer target = new UnsafeBuffer(new byte[PAGE]);
        private final TreeMap<Long, byte[]> live = new TreeMap<>();
        private final Map<Long, Integer> lastModified = new HashMap<>();
        private int lastCompletedBegin = -1;

        private PageSnapshot snapshot;
        private int snapshotBegin;
        private TreeMap<Long, byte[]> snapshotModel;
        private final Set<Long> read = new HashSet<>();
        private List<Long> expectedDirty;

        Run(Path dir) {
            store = PageStore.open(TestPages.context(dir, PAGE, SEGMENT, 2L * SEGMENT));
        }

        void execute(List<Op> ops) {
            try (store) {
                for (int i = 0; i < ops.size(); i++) {
                    apply(i, ops.get(i));
                }
                if (snapshot != null) {
                    readAll();
                    store.completeSnapshot(snapshot);
                }
                for (Map.Entry<Long, byte[]> page : live.entrySet()) {
                    try (PageCursor p = store.acquireRead(page.getKey(), cursor)) {
                        assertThat(bytes(p.buffer()))
                                .as("live page %d", page.getKey())
                                .isEqualTo(page.getValue());
                    }
                }
                assertThat(store.allocatedPages()).isEqualTo(live.size());
                assertThat(store.maxResidentBytesSeen()).isLessThanOrEqualTo(2L * SEGMENT);
            }
        }

        private void apply(int index, Op op) {
            switch (op.kind()) {
                case 0, 1 -> allocate(index);
                case 2 -> free(op.a());
                case 3, 4, 5, 6 -> write(index, op);
                case 7 -> begin(index);
                case 8, 9 -> readOne(op.a());
                case 10 -> complete();
                case 11 -> abort();
                default -> checkLists();
            }
        }

        private void allocate(int index) {
            if (live.size() >= MAX_LIVE) {
                return;
            }
            final long id = store.allocatePage();
            assertThat(live).doesNotContainKey(id);
            live.put(id, new byte[PAGE]);
            lastModified.put(id, index);
        }

        private void free(int a) {
            if (live.isEmpty()) {
                return;
            }
            final long id = pick(live.keySet(), a);
            store.freePage(id);
            live.remove(id);
        }

        private void write(int index, Op op) {
            if (live.isEmpty()) {
                return;
            }
            final long id = pick(live.keySet(), op.a());
            final int offset = (op.b() % (PAGE / Long.BYTES)) * Long.BYTES;
            final long value = op.a() * 31L + op.b() + index;
            try (PageCursor p = store.acquireWrite(id, cursor)) {
                p.mutableBuffer().putLong(offset, value, ByteOrder.LITTLE_ENDIAN);
            }
            final UnsafeBuffer model = new UnsafeBuffer(live.get(id));
            model.putLong(offset, value, ByteOrder.LITTLE_ENDIAN);
            lastModified.put(id, index);
        }

        private void begin(int index) {
            if (snapshot != null) {
                return;
            }
            snapshot = store.beginSnapshot();
            snapshotBegin = index;
            snapshotModel = new TreeMap<>();
            live.forEach((id, content) -> snapshotModel.put(id, content.clone()));
            read.clear();
            expectedDirty = new ArrayList<>();
            for (long id : snapshotModel.keySet()) {
                if (lastModified.get(id) > lastCompletedBegin) {
                    expectedDirty.add(id);
                }
            }
            checkLists();
        }

        private void checkLists() {
            if (snapshot == null) {
                return;
            }
            final List<Long> liveIds = new ArrayList<>();
            for (long id = snapshot.nextLivePage(0); id >= 0; id = snapshot.nextLivePage(id + 1)) {
                liveIds.add(id);
            }
            final List<Long> dirtyIds = new ArrayList<>();
            for (long id = snapshot.nextDirtyPage(0); id >= 0; id = snapshot.nextDirtyPage(id + 1)) {
                dirtyIds.add(id);
            }
            assertThat(liveIds).as("live pages at begin").containsExactlyElementsOf(snapshotModel.keySet());
            assertThat(dirtyIds).as("dirty pages since last completed").containsExactlyElementsOf(expectedDirty);
        }

        private void readOne(int a) {
            if (snapshot == null || read.size() == snapshotModel.size()) {
                return;
            }
            final List<Long> unread = new ArrayList<>(snapshotModel.keySet());
            unread.removeAll(read);
            verify(pick(unread, a));
        }

        private void readAll() {
            for (long id : snapshotModel.keySet()) {
                if (!read.contains(id)) {
                    verify(id);
                }
            }
        }

        private void verify(long id) {
            snapshot.readPage(id, target, 0);
            read.add(id);
            assertThat(bytes(target)).as("snapshot page %d", id).isEqualTo(snapshotModel.get(id));
        }

        private void complete() {
            if (snapshot == null) {
                return;
            }
            checkLists();
            readAll();
            store.completeSnapshot(snapshot);
            lastCompletedBegin = snapshotBegin;
            snapshot = null;
        }

        private void abort() {
            if (snapshot == null) {
                return;
            }
            checkLists();
            store.abortSnapshot(snapshot);
            snapshot = null;
        }

        private static long pick(java.util.Collection<Long> ids, int a) {
            final List<Long> list = new ArrayList<>(ids);
            return list.get(a % list.size());
        }

        private static byte[] bytes(org.agrona.DirectBuffer buffer) {
            final byte[] copy = new byte[PAGE];
            buffer.getBytes(0, copy);
            return copy;
        }

        @Override
        public String toString() {
            return "Run{live=" + live.keySet() + ", snapshot=" + snapshot + ", read=" + Arrays.toString(read.toArray())
                    + "}";
        }
    }
}
