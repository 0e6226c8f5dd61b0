package io.tidemark.state.chronicle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.ConfigurationException;
import io.tidemark.StateSizeException;
import io.tidemark.backend.KeyedBackendParameters;
import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.backend.TtlClock;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.serialization.BytesSerializer;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.state.LongValueState;
import io.tidemark.state.LongValueStateDescriptor;
import io.tidemark.state.ValueState;
import io.tidemark.state.ValueStateDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the conformance suite cannot see: files, their lifecycle, and sizing limits. */
class ChronicleBackendFilesTest {
    private static final int MAX_PARALLELISM = 128;

    @TempDir
    Path workingDirectory;

    private final List<KeyedStateBackend<?>> opened = new ArrayList<>();

    @AfterEach
    void closeBackends() {
        for (KeyedStateBackend<?> backend : opened) {
            backend.close();
        }
    }

    private KeyedStateBackend<Long> backend(ChronicleBackendConfig config, KeyGroupRange range) {
        KeyedBackendParameters<Long> parameters = new KeyedBackendParameters<>(
                "op", LongSerializer.INSTANCE, MAX_PARALLELISM, range, TtlClock.SYSTEM, workingDirectory);
        KeyedStateBackend<Long> backend = new ChronicleStateBackend(config).createKeyedStateBackend(parameters);
        opened.add(backend);
        return backend;
    }

    private KeyedStateBackend<Long> backend() {
        return backend(
                ChronicleBackendConfig.defaults().withExpectedEntries(1_000), KeyGroupRange.all(MAX_PARALLELISM));
    }

    private List<Path> mapFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(workingDirectory)) {
            return walk.filter(p -> p.toString().endsWith(BackendDirectory.SUFFIX))
                    .toList();
        }
    }

    @Test
    void isNamedChronicle() {
        assertThat(new ChronicleStateBackend().name()).isEqualTo("chronicle");
    }

    @Test
    void filesLiveUnderTheWorkingDirectoryAndAreRemovedOnClose() throws Exception {
        KeyedStateBackend<Long> backend = backend();
        LongValueState counter = backend.getOrCreateKeyedState(new LongValueStateDescriptor("counter"));
        ValueState<byte[]> blob = backend.getOrCreateKeyedState(
                new ValueStateDescriptor<>("blob/with:odd name", BytesSerializer.INSTANCE));
        backend.setCurrentKey(1L);
        counter.add(1);
        blob.update(new byte[] {1, 2, 3});
        Path instance = ((ChronicleKeyedStateBackend<Long>) backend).directory();
        assertThat(instance).startsWith(workingDirectory).isDirectory();
        assertThat(mapFiles())
                .extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder("000-counter.cm3", "001-blob_with_odd_name.cm3");
        assertThat(mapFiles()).allSatisfy(p -> assertThat(p).startsWith(instance));
        backend.close();
        assertThat(mapFiles()).isEmpty();
        assertThat(instance).doesNotExist();
        backend.close();
    }

    @Test
    void staleFilesOfAnEarlierRunAreDiscarded() throws Exception {
        KeyedStateBackend<Long> earlier = backend();
        LongValueState counter = earlier.getOrCreateKeyedState(new LongValueStateDescriptor("counter"));
        long key = keyInGroups(0, 63);
        earlier.setCurrentKey(key);
        counter.set(42);
        Path earlierDirectory = ((ChronicleKeyedStateBackend<Long>) earlier).directory();
        Path saved = Files.createTempDirectory("chronicle-saved");
        Path savedFile = saved.resolve("000-counter.cm3");
        Files.copy(earlierDirectory.resolve("000-counter.cm3"), savedFile);
        earlier.close();
        // what an unclean stop leaves: the live file of this range, and files of overlapping and other ranges
        Files.createDirectories(earlierDirectory);
        Files.move(savedFile, earlierDirectory.resolve("000-counter.cm3"));
        Files.delete(saved);
        Path overlapping = Files.createDirectories(workingDirectory.resolve("chronicle-op-kg32-95"));
        Files.write(overlapping.resolve("000-counter.cm3"), new byte[] {1, 2, 3});
        Path sibling = Files.createDirectories(workingDirectory.resolve("chronicle-op-kg64-127"));
        Files.write(sibling.resolve("000-counter.cm3"), new byte[] {4});
        Path otherOperator = Files.createDirectories(workingDirectory.resolve("chronicle-other-kg0-127"));
        Files.write(otherOperator.resolve("000-counter.cm3"), new byte[] {5});

        KeyedStateBackend<Long> restarted =
                backend(ChronicleBackendConfig.defaults().withExpectedEntries(1_000), KeyGroupRange.of(0, 63));
        assertThat(earlierDirectory)
                .as("the earlier run of an overlapping range")
                .doesNotExist();
        assertThat(overlapping).as("an overlapping range").doesNotExist();
        assertThat(sibling.resolve("000-counter.cm3"))
                .as("a live sibling's range")
                .exists();
        assertThat(otherOperator.resolve("000-counter.cm3"))
                .as("another operator")
                .exists();
        LongValueState restartedCounter = restarted.getOrCreateKeyedState(new LongValueStateDescriptor("counter"));
        restarted.setCurrentKey(key);
        assertThat(restartedCounter.isPresent())
                .as("state comes from checkpoints, never from live files")
                .isFalse();
        restarted.close();

        KeyedStateBackend<Long> everything = backend();
        assertThat(sibling).as("overlaps the full range").doesNotExist();
        assertThat(otherOperator.resolve("000-counter.cm3"))
                .as("another operator")
                .exists();
        assertThat(everything.stateNames()).isEmpty();
        assertThat(mapFiles()).containsExactly(otherOperator.resolve("000-counter.cm3"));
    }

    @Test
    void fullMapGivesTypedErrorNamingTheStateAndKeepsWhatWasWritten() {
        ChronicleBackendConfig tiny = new ChronicleBackendConfig(64, 16, 8, 1.0, 1_024);
        KeyedStateBackend<Long> backend = backend(tiny, KeyGroupRange.all(MAX_PARALLELISM));
        LongValueState counter = backend.getOrCreateKeyedState(new LongValueStateDescriptor("counter"));
        long written = 0;
        StateSizeException full = null;
        for (long key = 0; key < 10_000_000 && full == null; key++) {
            backend.setCurrentKey(key);
            try {
                counter.set(key);
                written++;
            } catch (StateSizeException e) {
                full = e;
                assertThat(counter.isPresent())
                        .as("the failed write changed nothing")
                        .isFalse();
            }
        }
        assertThat(full).isNotNull();
        assertThat(full.getMessage())
                .contains("chronicle map full")
                .contains("state=counter")
                .contains("000-counter.cm3")
                .contains("expectedEntries");
        assertThat(written).isGreaterThanOrEqualTo(64);
        for (long key = 0; key < written; key++) {
            backend.setCurrentKey(key);
            assertThat(counter.get()).isEqualTo(key);
        }
    }

    @Test
    void oversizeEntryIsRefusedBeforeAnyChange() {
        KeyedStateBackend<Long> backend = backend(
                ChronicleBackendConfig.defaults().withExpectedEntries(1_000).withMaxEntryBytes(1_024),
                KeyGroupRange.all(MAX_PARALLELISM));
        ValueState<byte[]> blob =
                backend.getOrCreateKeyedState(new ValueStateDescriptor<>("blob", BytesSerializer.INSTANCE));
        backend.setCurrentKey(1L);
        blob.update(new byte[] {9});
        assertThatThrownBy(() -> blob.update(new byte[2_000]))
                .isInstanceOf(StateSizeException.class)
                .hasMessageContaining("state=blob")
                .hasMessageContaining("limit=1024");
        assertThat(blob.value()).containsExactly(9);
    }

    @Test
    void missingWorkingDirectoryIsAConfigurationError() {
        KeyedBackendParameters<Long> parameters =
                KeyedBackendParameters.allKeyGroups("op", LongSerializer.INSTANCE, MAX_PARALLELISM);
        assertThatThrownBy(() -> new ChronicleStateBackend().createKeyedStateBackend(parameters))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("workingDirectory=null");
    }

    @Test
    void invalidSettingsAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> ChronicleBackendConfig.defaults().withExpectedEntries(0))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("expectedEntries=0")
                .hasMessageContaining("allowed=");
        assertThatThrownBy(() -> ChronicleBackendConfig.defaults().withMaxBloatFactor(0.5))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("maxBloatFactor=0.5");
        assertThatThrownBy(() -> ChronicleBackendConfig.defaults().withMaxEntryBytes(10))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("maxEntryBytes=10");
    }

    private static long keyInGroups(int from, int to) {
        for (long key = 0; ; key++) {
            int group = io.tidemark.keygroup.KeyGroupAssignment.assignToKeyGroup(key, MAX_PARALLELISM);
            if (group >= from && group <= to) {
                return key;
            }
        }
    }
}
