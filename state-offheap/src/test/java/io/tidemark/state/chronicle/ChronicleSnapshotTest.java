package io.tidemark.state.chronicle;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.backend.KeyedBackendParameters;
import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.backend.TtlClock;
import io.tidemark.backend.snapshot.InMemorySnapshotStorage;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.SnapshotKind;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.serialization.StringSerializer;
import io.tidemark.state.ListState;
import io.tidemark.state.ListStateDescriptor;
import io.tidemark.state.LongValueState;
import io.tidemark.state.LongValueStateDescriptor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The asynchronous part reads only the heap copy taken at the synchronous part, never the live maps. */
class ChronicleSnapshotTest {
    private static final int MAX_PARALLELISM = 128;

    @TempDir
    Path workingDirectory;

    private final InMemorySnapshotStorage storage = new InMemorySnapshotStorage();

    private KeyedStateBackend<Long> backend(String directory) {
        return new ChronicleStateBackend(ChronicleBackendConfig.defaults().withExpectedEntries(1_000))
                .createKeyedStateBackend(new KeyedBackendParameters<>(
                        "op",
                        LongSerializer.INSTANCE,
                        MAX_PARALLELISM,
                        KeyGroupRange.all(MAX_PARALLELISM),
                        TtlClock.SYSTEM,
                        workingDirectory.resolve(directory)));
    }

    @Test
    void asynchronousPartNeedsNoLiveFiles() throws Exception {
        KeyedStateBackend<Long> backend = backend("a");
        LongValueState counter = backend.getOrCreateKeyedState(new LongValueStateDescriptor("c"));
        ListState<String> list =
                backend.getOrCreateKeyedState(new ListStateDescriptor<>("l", StringSerializer.INSTANCE));
        for (long key = 0; key < 500; key++) {
            backend.setCurrentKey(key);
            counter.set(key);
            list.add("k" + key);
            list.add("again");
        }
        Callable<KeyedStateHandle> async = backend.snapshot(1, SnapshotKind.FULL, storage);
        backend.close();
        assertThat(((ChronicleKeyedStateBackend<Long>) backend).directory()).doesNotExist();
        KeyedStateHandle handle = async.call();

        KeyedStateBackend<Long> restored = backend("b");
        try {
            restored.restore(List.of(handle), storage.reader());
            LongValueState restoredCounter = restored.getOrCreateKeyedState(new LongValueStateDescriptor("c"));
            ListState<String> restoredList =
                    restored.getOrCreateKeyedState(new ListStateDescriptor<>("l", StringSerializer.INSTANCE));
            for (long key = 0; key < 500; key++) {
                restored.setCurrentKey(key);
                assertThat(restoredCounter.get()).isEqualTo(key);
                List<String> elements = new ArrayList<>();
                restoredList.get().forEach(elements::add);
                assertThat(elements).containsExactly("k" + key, "again");
            }
            assertThat(((ChronicleKeyedStateBackend<Long>) restored).entryCount())
                    .isEqualTo(1_000);
        } finally {
            restored.close();
        }
    }
}
