package io.tidemark.jmh.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.jmh.keys.KeySpace;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The three Flink keyed backends of issue 15's comparison answer the benchmark operations alike: what the value,
 * list and map benchmarks write, each reads back, so a figure never measures a backend that silently drops or
 * misreads state.
 */
class FlinkStateBackendsTest {
    private static final int KEYS = 1_000;
    private static final int USER_KEYS = 10;

    @TempDir
    Path workDir;

    @ParameterizedTest
    @ValueSource(strings = {BackendRegistry.FLINK_HEAP, BackendRegistry.FLINK_ROCKSDB, BackendRegistry.TIDEMARK_FLINK})
    void valueStateReadsBackWhatWasWritten(String name) throws Exception {
        try (BenchmarkBackend backend = BackendRegistry.open(name, new KeySpace(KEYS), workDir)) {
            LongValueState values = backend.longValueState();
            for (int key = 0; key < KEYS; key++) {
                values.put(key, key * 3L);
            }
            backend.loaded();
            for (int key = 0; key < KEYS; key++) {
                assertThat(values.increment(key)).isEqualTo(key * 3L + 1);
                assertThat(values.get(key)).isEqualTo(key * 3L + 1);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {BackendRegistry.FLINK_HEAP, BackendRegistry.FLINK_ROCKSDB, BackendRegistry.TIDEMARK_FLINK})
    void listStateAppendsAndReplaces(String name) throws Exception {
        try (BenchmarkBackend backend = BackendRegistry.open(name, new KeySpace(KEYS), workDir)) {
            LongListState lists = backend.longListState();
            for (int key = 0; key < KEYS; key++) {
                lists.add(key, key);
                lists.add(key, 1);
            }
            backend.loaded();
            for (int key = 0; key < KEYS; key++) {
                assertThat(lists.sum(key)).isEqualTo(key + 1L);
            }
            lists.update(7, List.of(100L, 200L));
            assertThat(lists.sum(7)).isEqualTo(300L);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {BackendRegistry.FLINK_HEAP, BackendRegistry.FLINK_ROCKSDB, BackendRegistry.TIDEMARK_FLINK})
    void mapStateGetsPutsAndIterates(String name) throws Exception {
        try (BenchmarkBackend backend = BackendRegistry.open(name, new KeySpace(KEYS), workDir)) {
            LongMapState maps = backend.longMapState(2 * USER_KEYS);
            long[] values = new long[USER_KEYS];
            for (int key = 0; key < KEYS; key++) {
                for (int i = 0; i < USER_KEYS; i++) {
                    values[i] = key + i;
                }
                maps.putAll(key, values);
            }
            backend.loaded();
            for (int key = 0; key < KEYS; key++) {
                long expectedSum = 0;
                for (int i = 0; i < USER_KEYS; i++) {
                    expectedSum += i + (key + i); // user key i (KeySpace.boxedUserKeys) plus its value
                }
                assertThat(maps.get(key, 3)).isEqualTo(key + 3L);
                assertThat(maps.contains(key, USER_KEYS - 1)).isTrue();
                assertThat(maps.contains(key, USER_KEYS)).isFalse();
                assertThat(maps.sum(key)).isEqualTo(expectedSum);
            }
            maps.put(5, 2, -1L);
            assertThat(maps.get(5, 2)).isEqualTo(-1L);
        }
    }
}
