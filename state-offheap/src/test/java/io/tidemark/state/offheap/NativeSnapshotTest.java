package io.tidemark.state.offheap;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.backend.snapshot.InMemorySnapshotStorage;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.SnapshotKind;
import io.tidemark.backend.snapshot.StreamHandle;
import io.tidemark.keygroup.KeyGroupAssignment;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.serialization.BytesSerializer;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.serialization.StringSerializer;
import io.tidemark.state.ListState;
import io.tidemark.state.ListStateDescriptor;
import io.tidemark.state.LongValueState;
import io.tidemark.state.LongValueStateDescriptor;
import io.tidemark.state.MapState;
import io.tidemark.state.MapStateDescriptor;
import io.tidemark.state.ValueState;
import io.tidemark.state.ValueStateDescriptor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Native ({@code offheap-pages-v1}, payload version 2) snapshots: incremental size, chains, overlaps, aborts, rescaling. */
class NativeSnapshotTest {
    private static final int MAX_PARALLELISM = 128;

    @TempDir
    Path directory;

    private final InMemorySnapshotStorage storage = new InMemorySnapshotStorage();
    private final List<OffHeapKeyedStateBackend<?>> opened = new ArrayList<>();
    private int counter;

    @AfterEach
    void close() {
        opened.forEach(OffHeapKeyedStateBackend::close);
    }

    private <K> OffHeapKeyedStateBackend<K> backend(
            io.tidemark.serialization.StateSerializer<K> keys, int maxParallelism, KeyGroupRange range) {
        OffHeapKeyedStateBackend<K> backend = TestBackends.create(
                TestBackends.smallContext(), directory.resolve("b" + counter++), keys, maxParallelism, range);
        opened.add(backend);
        return backend;
    }

    private KeyedStateHandle take(OffHeapKeyedStateBackend<?> backend, long id, SnapshotKind kind) throws Exception {
        return backend.snapshot(id, kind, storage).call();
    }

    private static long bytesOf(KeyedStateHandle handle, Set<String> excluded) {
        long bytes = 0;
        for (StreamHandle stream : handle.streams()) {
            if (!excluded.contains(stream.name())) {
                bytes += stream.length();
            }
        }
        return bytes;
    }

    private static Set<String> names(KeyedStateHandle handle) {
        Set<String> names = new HashSet<>();
        handle.streams().forEach(s -> names.add(s.name()));
        return names;
    }

    private static byte[] value(long key, int generation) {
        byte[] bytes = new byte[100];
        new Random(key * 31 + generation).nextBytes(bytes);
        return bytes;
    }

    @Test
    void aSnapshotWritesOneNewStreamForTheWholeKeyGroupRange() throws Exception {
        OffHeapKeyedStateBackend<Long> backend =
                backend(LongSerializer.INSTANCE, MAX_PARALLELISM, KeyGroupRange.all(MAX_PARALLELISM));
        LongValueState counts = backend.getOrCreateKeyedState(new LongValueStateDescriptor("counts"));
        for (long key = 0; key < 5_000; key++) { // every one of the 128 key groups gets keys
            backend.setCurrentKey(key);
            counts.set(key);
        }
        KeyedStateHandle full = take(backend, 1, SnapshotKind.FULL);
        backend.notifyCheckpointComplete(1);
        assertThat(full.streams())
                .as("one data file (one fsync) per task and checkpoint")
                .hasSize(1);
        assertThat(full.streams().get(0).shared()).isTrue();
        for (long key = 0; key < 5_000; key += 97) { // a small change spread over many key groups
            backend.setCurrentKey(key);
            counts.set(-key);
        }
        KeyedStateHandle incremental = take(backend, 2, SnapshotKind.INCREMENTAL);
        Set<String> created = names(incremental);
        created.removeAll(names(full));
        assertThat(created).as("new streams of the incremental checkpoint").hasSize(1);
        OffHeapKeyedStateBackend<Long> restored =
                backend(LongSerializer.INSTANCE, MAX_PARALLELISM, KeyGroupRange.of(0, 63));
        restored.restore(List.of(incremental), storage.reader());
        LongValueState restoredCounts = restored.getOrCreateKeyedState(new LongValueStateDescriptor("counts"));
        for (long key = 0; key < 5_000; key++) {
            if (KeyGroupAssignment.assignToKeyGroup(key, MAX_PARALLELISM) <= 63) {
                restored.setCurrentKey(key);
                assertThat(restoredCounts.get()).isEqualTo(key % 97 == 0 ? -key : key);
            }
        }
    }

    @Test
    void incrementalAfterTenPercentUpdatesWritesOnlyTheChangedPages() throws Exception {
        int maxParallelism = 8;
        OffHeapKeyedStateBackend<Long> backend =
                backend(LongSerializer.INSTANCE, maxParallelism, KeyGroupRange.all(maxParallelism));
        ValueState<byte[]> values =
                backend.getOrCreateKeyedState(new ValueStateDescriptor<>("values", BytesSerializer.INSTANCE));
        int keys = 10_000;
        for (long key = 0; key < keys; key++) {
            backend.setCurrentKey(key);
            values.update(value(key, 0));
        }
        KeyedStateHandle full = take(backend, 1, SnapshotKind.FULL);
        backend.notifyCheckpointComplete(1);
        for (long key = 0; key < keys / 10; key++) {
            backend.setCurrentKey(key);
            values.update(value(key, 1));
        }
        KeyedStateHandle incremental = take(backend, 2, SnapshotKind.INCREMENTAL);
        backend.notifyCheckpointComplete(2);

        long fullBytes = bytesOf(full, Set.of());
        long newBytes = bytesOf(incremental, names(full));
        // A record is 16 B header + 8 B key + 4 B length + 100 B, padded: 128 B. The changed pages are those holding
        // the first 10% of each key group's records, plus at most one partly changed page per key group.
        int pageSize = TestBackends.smallContext().pageSize();
        long changedPagesBytes = (long) keys / 10 * 128 + (long) maxParallelism * pageSize;
        System.out.printf(
                "incremental snapshot: full=%d B, incremental new=%d B (%.1f%%), bound=%d B%n",
                fullBytes, newBytes, 100.0 * newBytes / fullBytes, (long) (1.5 * changedPagesBytes));
        assertThat(newBytes).isLessThanOrEqualTo((long) (1.5 * changedPagesBytes));
        assertThat(newBytes).isLessThan(fullBytes / 4);
        assertThat(names(incremental))
                .as("references the full snapshot's streams")
                .containsAll(names(full));

        OffHeapKeyedStateBackend<Long> restored =
                backend(LongSerializer.INSTANCE, maxParallelism, KeyGroupRange.all(maxParallelism));
        restored.restore(List.of(incremental), storage.reader());
        ValueState<byte[]> restoredValues =
                restored.getOrCreateKeyedState(new ValueStateDescriptor<>("values", BytesSerializer.INSTANCE));
        for (long key = 0; key < keys; key++) {
            restored.setCurrentKey(key);
            assertThat(restoredValues.value()).isEqualTo(value(key, key < keys / 10 ? 1 : 0));
        }
    }

    /** Three states of different layouts, mirrored by a model. */
    private static final class Workload {
        final OffHeapKeyedStateBackend<Long> backend;
        final LongValueState count;
        final ValueState<String> text;
        final ListState<Long> list;
        final MapState<String, Long> map;

        Workload(OffHeapKeyedStateBackend<Long> backend) {
            this.backend = backend;
            count = backend.getOrCreateKeyedState(new LongValueStateDescriptor("count"));
            text = backend.getOrCreateKeyedState(new ValueStateDescriptor<>("text", StringSerializer.INSTANCE));
            list = backend.getOrCreateKeyedState(new ListStateDescriptor<>("list", LongSerializer.INSTANCE));
            map = backend.getOrCreateKeyedState(
                    new MapStateDescriptor<>("map", StringSerializer.INSTANCE, LongSerializer.INSTANCE));
        }

        void step(Random random, int keySpace, Map<Long, Long> model) {
            long key = random.nextInt(keySpace);
            backend.setCurrentKey(key);
            if (random.nextInt(10) == 0) {
                count.clear();
                text.clear();
                list.clear();
                map.clear();
                model.remove(key);
                return;
            }
            long next = count.add(1);
            // Values grow with the count: some updates fit in place, others move the record or become blobs.
            text.update("v".repeat((int) (next % 7 == 0 ? 3000 : next % 50)) + next);
            list.add(next);
            map.put("k" + (next % 3), next);
            model.put(key, next);
        }

        void verify(Map<Long, Long> model, int keySpace, String context) {
            for (long key = 0; key < keySpace; key++) {
                if (!backend.keyGroupRange().contains(KeyGroupAssignment.assignToKeyGroup(key, MAX_PARALLELISM))) {
                    continue;
                }
                backend.setCurrentKey(key);
                Long want = model.get(key);
                String as = context + " key " + key;
                if (want == null) {
                    assertThat(count.isPresent()).as(as).isFalse();
                    assertThat(text.value()).as(as).isNull();
                    assertThat(list.get()).as(as).isEmpty();
                    assertThat(map.isEmpty()).as(as).isTrue();
                    continue;
                }
                assertThat(count.get()).as(as).isEqualTo(want);
                assertThat(text.value()).as(as).isEqualTo("v".repeat((int) (want % 7 == 0 ? 3000 : want % 50)) + want);
                List<Long> elements = new ArrayList<>();
                list.get().forEach(elements::add);
                assertThat(elements).as(as).isNotEmpty().endsWith(want);
                assertThat(map.get("k" + (want % 3))).as(as).isEqualTo(want);
            }
        }
    }

    @Test
    void incrementalChainRestoresTheLatestState() throws Exception {
        long seed = System.nanoTime();
        System.out.println("incrementalChainRestoresTheLatestState seed=" + seed);
        Random random = new Random(seed);
        Workload workload = new Workload(backend(LongSerializer.INSTANCE, MAX_PARALLELISM, all()));
        Map<Long, Long> model = new HashMap<>();
        KeyedStateHandle last = null;
        for (int checkpoint = 1; checkpoint <= 3; checkpoint++) {
            // The last round touches few keys, so most key groups' pages are referenced from earlier checkpoints.
            int steps = checkpoint == 3 ? 100 : 3_000;
            int keySpace = checkpoint == 3 ? 20 : 1_000;
            for (int i = 0; i < steps; i++) {
                workload.step(random, keySpace, model);
            }
            last = take(workload.backend, checkpoint, checkpoint == 1 ? SnapshotKind.FULL : SnapshotKind.INCREMENTAL);
            workload.backend.notifyCheckpointComplete(checkpoint);
        }
        assertThat(last.format()).isEqualTo(NativeSnapshotFormat.FORMAT_NAME);
        assertThat(last.streams()).anyMatch(s -> !s.name().contains("-chk3"));
        Workload restored = new Workload(restore(all(), List.of(last)));
        restored.verify(model, 1_000, "seed " + seed);
    }

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void overlappingSnapshotsEachRestoreTheirBarrierState() throws Exception {
        long seed = System.nanoTime();
        System.out.println("overlappingSnapshotsEachRestoreTheirBarrierState seed=" + seed);
        Random random = new Random(seed);
        Workload workload = new Workload(backend(LongSerializer.INSTANCE, MAX_PARALLELISM, all()));
        Map<Long, Long> model = new HashMap<>();
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<KeyedStateHandle>> handles = new ArrayList<>();
            List<Map<Long, Long>> models = new ArrayList<>();
            for (int checkpoint = 1; checkpoint <= 12; checkpoint++) {
                for (int i = 0; i < 400; i++) {
                    workload.step(random, 600, model);
                }
                // The asynchronous part runs on another thread while the operator thread goes on writing and takes
                // the next synchronous part; the previous one may still be running (up to two at a time here).
                handles.add(threads.submit(workload.backend.snapshot(
                        checkpoint, checkpoint == 1 ? SnapshotKind.FULL : SnapshotKind.INCREMENTAL, storage)));
                models.add(new HashMap<>(model));
                if (checkpoint >= 3) {
                    handles.get(checkpoint - 3).get(60, java.util.concurrent.TimeUnit.SECONDS);
                    workload.backend.notifyCheckpointComplete(checkpoint - 2);
                }
            }
            for (int checkpoint = 1; checkpoint <= 12; checkpoint++) {
                KeyedStateHandle handle = handles.get(checkpoint - 1).get(60, java.util.concurrent.TimeUnit.SECONDS);
                Workload restored = new Workload(restore(all(), List.of(handle)));
                restored.verify(models.get(checkpoint - 1), 600, "seed " + seed + " checkpoint " + checkpoint);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void abortedCheckpointDoesNotLoseDirtyPages() throws Exception {
        Random random = new Random(7);
        Workload workload = new Workload(backend(LongSerializer.INSTANCE, MAX_PARALLELISM, all()));
        Map<Long, Long> model = new HashMap<>();
        for (int i = 0; i < 2_000; i++) {
            workload.step(random, 500, model);
        }
        take(workload.backend, 1, SnapshotKind.FULL);
        workload.backend.notifyCheckpointComplete(1);
        for (int i = 0; i < 2_000; i++) {
            workload.step(random, 500, model);
        }
        KeyedStateHandle aborted = take(workload.backend, 2, SnapshotKind.INCREMENTAL);
        workload.backend.notifyCheckpointAborted(2);
        for (StreamHandle stream : aborted.streams()) {
            if (stream.name().contains("-chk2")) {
                storage.discard(stream); // retention drops an aborted checkpoint's files
            }
        }
        for (int i = 0; i < 200; i++) {
            workload.step(random, 500, model);
        }
        // An incremental snapshot whose predecessor was never confirmed must not reference it either.
        KeyedStateHandle unconfirmed = take(workload.backend, 3, SnapshotKind.INCREMENTAL);
        for (int i = 0; i < 200; i++) {
            workload.step(random, 500, model);
        }
        KeyedStateHandle next = take(workload.backend, 4, SnapshotKind.INCREMENTAL);
        workload.backend.notifyCheckpointComplete(4);
        assertThat(next.streams())
                .noneMatch(s -> s.name().contains("-chk2") || s.name().contains("-chk3"));
        assertThat(unconfirmed.streams()).noneMatch(s -> s.name().contains("-chk2"));
        Workload restored = new Workload(restore(all(), List.of(next)));
        restored.verify(model, 500, "after abort");
    }

    @Test
    void nativeRestoreRescalesOneToTwoToThree() throws Exception {
        Random random = new Random(11);
        Map<Long, Long> model = new HashMap<>();
        Workload one = new Workload(backend(LongSerializer.INSTANCE, MAX_PARALLELISM, all()));
        for (int i = 0; i < 4_000; i++) {
            one.step(random, 2_000, model);
        }
        List<KeyedStateHandle> fromOne = List.of(take(one.backend, 1, SnapshotKind.FULL));
        List<KeyedStateHandle> fromTwo = new ArrayList<>();
        for (int index = 0; index < 2; index++) {
            KeyGroupRange range = KeyGroupAssignment.computeKeyGroupRangeForOperatorIndex(MAX_PARALLELISM, 2, index);
            Workload two = new Workload(restore(range, fromOne));
            two.verify(model, 2_000, "1 -> 2");
            for (int i = 0; i < 2_000; i++) {
                long key = random.nextInt(2_000);
                if (range.contains(KeyGroupAssignment.assignToKeyGroup(key, MAX_PARALLELISM))) {
                    two.backend.setCurrentKey(key);
                    long next = two.count.add(1);
                    two.text.update("v".repeat((int) (next % 7 == 0 ? 3000 : next % 50)) + next);
                    two.list.add(next);
                    two.map.put("k" + (next % 3), next);
                    model.put(key, next);
                }
            }
            fromTwo.add(take(two.backend, 2, SnapshotKind.INCREMENTAL));
        }
        int seen = 0;
        for (int index = 0; index < 3; index++) {
            KeyGroupRange range = KeyGroupAssignment.computeKeyGroupRangeForOperatorIndex(MAX_PARALLELISM, 3, index);
            Workload three = new Workload(restore(range, fromTwo));
            three.verify(model, 2_000, "2 -> 3");
            seen += three.backend.entryCount() > 0 ? 1 : 0;
        }
        assertThat(seen).isEqualTo(3);
    }

    @Test
    void asynchronousPartsThatNeverRanAreSupersededOnlyWhenTheInFlightLimitIsReached() throws Exception {
        Workload workload = new Workload(backend(LongSerializer.INSTANCE, MAX_PARALLELISM, all()));
        Map<Long, Long> model = new HashMap<>();
        Random random = new Random(3);
        for (int i = 0; i < 500; i++) {
            workload.step(random, 200, model);
        }
        final int limit = workload.backend.pageStore().context().maxSnapshotsInFlight();
        List<java.util.concurrent.Callable<KeyedStateHandle>> waiting = new ArrayList<>();
        List<Map<Long, Long>> models = new ArrayList<>();
        for (int id = 1; id <= limit; id++) {
            waiting.add(workload.backend.snapshot(id, SnapshotKind.INCREMENTAL, storage));
            models.add(new HashMap<>(model));
            for (int i = 0; i < 100; i++) {
                workload.step(random, 200, model);
            }
        }
        // One more than the limit: the oldest that never started makes room; the others stay valid.
        KeyedStateHandle handle = take(workload.backend, limit + 1, SnapshotKind.INCREMENTAL);
        org.assertj.core.api.Assertions.assertThatThrownBy(waiting.get(0)::call)
                .isInstanceOf(io.tidemark.StateAccessException.class)
                .hasMessageContaining("superseded");
        KeyedStateHandle second = waiting.get(1).call();
        new Workload(restore(all(), List.of(second))).verify(models.get(1), 200, "snapshot 2, begun earlier");
        workload.backend.notifyCheckpointComplete(limit + 1);
        Workload restored = new Workload(restore(all(), List.of(handle)));
        restored.verify(model, 200, "after a superseded snapshot");
        // A snapshot whose asynchronous part never runs does not keep the backend from closing.
        workload.backend.snapshot(3, SnapshotKind.FULL, storage);
    }

    @Test
    void pageSnapshotEndsWithinAThousandKeyChangesAfterTheAsynchronousPart() throws Exception {
        Workload workload = new Workload(backend(LongSerializer.INSTANCE, MAX_PARALLELISM, all()));
        Map<Long, Long> model = new HashMap<>();
        Random random = new Random(5);
        for (int i = 0; i < 300; i++) {
            workload.step(random, 100, model);
        }
        for (SnapshotKind kind : SnapshotKind.values()) {
            java.util.concurrent.Callable<KeyedStateHandle> async = workload.backend.snapshot(9, kind, storage);
            workload.step(random, 100, model);
            assertThat(workload.backend.pageStore().snapshotInFlight())
                    .as(kind.name())
                    .isNotNull();
            async.call();
            // The operator thread checks for a finished asynchronous part every 1,024 key changes (a volatile read
            // per key would cost the hot path); one step changes the key at least once.
            for (int i = 0; i < 1024; i++) {
                workload.step(random, 100, model);
            }
            assertThat(workload.backend.pageStore().snapshotInFlight())
                    .as(kind.name())
                    .isNull();
        }
    }

    private OffHeapKeyedStateBackend<Long> restore(KeyGroupRange range, List<KeyedStateHandle> handles) {
        OffHeapKeyedStateBackend<Long> backend = backend(LongSerializer.INSTANCE, MAX_PARALLELISM, range);
        backend.restore(handles, storage.reader());
        return backend;
    }

    private static KeyGroupRange all() {
        return KeyGroupRange.all(MAX_PARALLELISM);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void writerAndSnapshotThreadsStress() throws Exception {
        long seed = System.nanoTime();
        System.out.println("writerAndSnapshotThreadsStress seed=" + seed);
        Random random = new Random(seed);
        Workload workload = new Workload(backend(LongSerializer.INSTANCE, MAX_PARALLELISM, all()));
        Map<Long, Long> model = new HashMap<>();
        java.util.concurrent.ExecutorService snapshotThread = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            for (int round = 1; round <= 8; round++) {
                for (int i = 0; i < 1_000; i++) {
                    workload.step(random, 800, model);
                }
                SnapshotKind kind = round == 1
                        ? SnapshotKind.FULL
                        : SnapshotKind.values()[random.nextInt(SnapshotKind.values().length)];
                Map<Long, Long> atBarrier = new HashMap<>(model);
                java.util.concurrent.Future<KeyedStateHandle> future =
                        snapshotThread.submit(workload.backend.snapshot(round, kind, storage));
                int writes = 0;
                while (!future.isDone() || writes < 50) {
                    workload.step(random, 800, model);
                    writes++;
                }
                KeyedStateHandle handle = future.get();
                if (random.nextInt(4) == 0) {
                    workload.backend.notifyCheckpointAborted(round);
                } else {
                    workload.backend.notifyCheckpointComplete(round);
                }
                Workload restored = new Workload(restore(all(), List.of(handle)));
                restored.verify(atBarrier, 800, "seed " + seed + " round " + round + " " + kind);
                restored.backend.close();
                opened.remove(restored.backend);
            }
        } finally {
            snapshotThread.shutdownNow();
        }
    }
}
