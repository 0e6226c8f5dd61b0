package io.tidemark.state.offheap;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.backend.KeyedBackendParameters;
import io.tidemark.backend.MergingState;
import io.tidemark.backend.conformance.ManualClock;
import io.tidemark.backend.snapshot.InMemorySnapshotStorage;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.SnapshotKind;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.serialization.StringSerializer;
import io.tidemark.state.ListState;
import io.tidemark.state.ListStateDescriptor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The off-heap list merge moves stored chunks as bytes: merged lists read right whether their chunks are mutable, below
 * the read-only marker (frozen by a checkpoint) or spanning pages, through log compaction and incremental checkpoints
 * and their restore.
 */
class ListMergeTest {
    private static final int MAX_PARALLELISM = 16;
    private static final long SEGMENT = 16 * 1024;

    @TempDir
    Path directory;

    private final InMemorySnapshotStorage storage = new InMemorySnapshotStorage();

    private OffHeapKeyedStateBackend<Long> backend(String name) {
        return (OffHeapKeyedStateBackend<Long>) new OffHeapStateBackend(TestBackends.smallContext())
                .createKeyedStateBackend(new KeyedBackendParameters<>(
                        "op",
                        LongSerializer.INSTANCE,
                        MAX_PARALLELISM,
                        KeyGroupRange.all(MAX_PARALLELISM),
                        new ManualClock(0),
                        directory.resolve(name)));
    }

    @SuppressWarnings("unchecked")
    private static ListState<String> list(OffHeapKeyedStateBackend<Long> backend) {
        return backend.getOrCreateKeyedState(
                LongSerializer.INSTANCE, new ListStateDescriptor<>("sessions", StringSerializer.INSTANCE));
    }

    @Test
    @SuppressWarnings("unchecked")
    void mergedChunksSurviveCompactionIncrementalCheckpointsAndRestore() throws Exception {
        final long seed = System.nanoTime();
        System.out.println("mergedChunksSurviveCompactionIncrementalCheckpointsAndRestore seed=" + seed);
        final Random random = new Random(seed);
        final Map<Long, Map<Long, List<String>>> model = new HashMap<>();
        KeyedStateHandle last = null;
        try (OffHeapKeyedStateBackend<Long> backend = backend("live")) {
            backend.tuneLog(SEGMENT, 2 * SEGMENT);
            final ListState<String> list = list(backend);
            final MergingState<Long> merging = (MergingState<Long>) list;
            for (int op = 0; op < 30_000; op++) {
                final long key = random.nextInt(10);
                backend.setCurrentKey(key);
                final Map<Long, List<String>> namespaces = model.computeIfAbsent(key, k -> new HashMap<>());
                final int kind = random.nextInt(100);
                if (kind < 55) {
                    final long namespace = random.nextInt(6);
                    // now and then an element longer than a page: its chunk spans pages
                    final String element = op + "-" + "e".repeat(kind < 2 ? 5_000 : random.nextInt(40));
                    merging.setCurrentNamespace(namespace);
                    list.add(element);
                    namespaces
                            .computeIfAbsent(namespace, n -> new ArrayList<>())
                            .add(element);
                } else if (kind < 80) {
                    final long target = random.nextInt(6);
                    final long source = random.nextInt(6);
                    merging.mergeNamespaces(target, List.of(source));
                    if (source != target) {
                        final List<String> moved = namespaces.remove(source);
                        if (moved != null) {
                            namespaces
                                    .computeIfAbsent(target, n -> new ArrayList<>())
                                    .addAll(moved);
                        }
                    }
                } else {
                    final long namespace = random.nextInt(6);
                    merging.setCurrentNamespace(namespace);
                    list.clear(); // a fired session: its chunks become garbage for the compactor
                    namespaces.remove(namespace);
                }
                if (op % 3_000 == 2_999) {
                    last = backend.snapshot(op, SnapshotKind.INCREMENTAL, storage)
                            .call();
                    backend.notifyCheckpointComplete(op);
                }
            }
            System.out.println("log bytes=" + backend.logBytes() + ", compacted=" + backend.logSegmentsCompacted());
            assertThat(backend.logSegmentsCompacted()).isGreaterThan(0);
            verify(backend, model, "live");
            last = backend.snapshot(100_000, SnapshotKind.INCREMENTAL, storage).call();
            backend.notifyCheckpointComplete(100_000);
        }
        try (OffHeapKeyedStateBackend<Long> restored = backend("restored")) {
            restored.restore(List.of(last), storage.reader());
            verify(restored, model, "restored");
        }
    }

    @SuppressWarnings("unchecked")
    private static void verify(
            OffHeapKeyedStateBackend<Long> backend, Map<Long, Map<Long, List<String>>> model, String context) {
        final ListState<String> list = list(backend);
        for (long key = 0; key < 10; key++) {
            backend.setCurrentKey(key);
            for (long namespace = 0; namespace < 6; namespace++) {
                ((MergingState<Long>) list).setCurrentNamespace(namespace);
                final List<String> actual = new ArrayList<>();
                list.get().forEach(actual::add);
                assertThat(actual)
                        .as("%s: key %d, namespace %d", context, key, namespace)
                        .isEqualTo(model.getOrDefault(key, Map.of()).getOrDefault(namespace, List.of()));
            }
        }
    }
}
