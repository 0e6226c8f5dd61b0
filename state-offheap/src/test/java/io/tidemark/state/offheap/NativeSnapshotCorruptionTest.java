package io.tidemark.state.offheap;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.CorruptCheckpointException;
import io.tidemark.backend.snapshot.InMemorySnapshotStorage;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.SnapshotKind;
import io.tidemark.backend.snapshot.SnapshotReader;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.serialization.StringSerializer;
import io.tidemark.state.ValueState;
import io.tidemark.state.ValueStateDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad bytes in a native snapshot are refused with the corruption error, naming the stream and offset. */
class NativeSnapshotCorruptionTest {
    @TempDir
    Path directory;

    private final InMemorySnapshotStorage storage = new InMemorySnapshotStorage();

    private KeyedStateHandle snapshot() throws Exception {
        try (OffHeapKeyedStateBackend<Long> backend = TestBackends.create(
                TestBackends.smallContext(),
                directory.resolve("source"),
                LongSerializer.INSTANCE,
                4,
                KeyGroupRange.all(4))) {
            ValueState<String> state =
                    backend.getOrCreateKeyedState(new ValueStateDescriptor<>("v", StringSerializer.INSTANCE));
            for (long key = 0; key < 500; key++) {
                backend.setCurrentKey(key);
                state.update("value-" + key);
            }
            return backend.snapshot(1, SnapshotKind.FULL, storage).call();
        }
    }

    private void restore(KeyedStateHandle handle, SnapshotReader reader) {
        try (OffHeapKeyedStateBackend<Long> backend = TestBackends.create(
                TestBackends.smallContext(),
                directory.resolve("target"),
                LongSerializer.INSTANCE,
                4,
                KeyGroupRange.all(4))) {
            backend.restore(List.of(handle), reader);
        }
    }

    @Test
    void flippedBitInAPageIsRefused() throws Exception {
        long seed = System.nanoTime();
        System.out.println("flippedBitInAPageIsRefused seed=" + seed);
        Random random = new Random(seed);
        KeyedStateHandle handle = snapshot();
        String victim =
                handle.streams().get(random.nextInt(handle.streams().size())).name();
        SnapshotReader flipping = (stream, position) -> {
            byte[] bytes = readAll(storage.reader().open(stream, 0));
            if (stream.name().equals(victim)) {
                int at = random.nextInt(bytes.length);
                bytes[at] ^= (byte) (1 << random.nextInt(8));
            }
            return new ByteArrayInputStream(bytes, (int) position, bytes.length - (int) position);
        };
        assertThatThrownBy(() -> restore(handle, flipping))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining("checksum")
                .hasMessageContaining(victim);
    }

    @Test
    void truncatedStreamIsRefused() throws Exception {
        KeyedStateHandle handle = snapshot();
        SnapshotReader truncating = (stream, position) -> {
            byte[] bytes = readAll(storage.reader().open(stream, 0));
            int length = Math.max(0, bytes.length - 100);
            return new ByteArrayInputStream(
                    bytes, (int) Math.min(position, length), length - (int) Math.min(position, length));
        };
        assertThatThrownBy(() -> restore(handle, truncating)).isInstanceOf(CorruptCheckpointException.class);
    }

    @Test
    void damagedPayloadIsRefused() throws Exception {
        KeyedStateHandle handle = snapshot();
        byte[] payload = handle.payload();
        payload[0] ^= 1;
        KeyedStateHandle damaged =
                new KeyedStateHandle(handle.format(), handle.keyGroupRange(), handle.streams(), payload);
        assertThatThrownBy(() -> restore(damaged, storage.reader()))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining("magic");
        byte[] cut = java.util.Arrays.copyOf(handle.payload(), handle.payload().length - 3);
        KeyedStateHandle shortened =
                new KeyedStateHandle(handle.format(), handle.keyGroupRange(), handle.streams(), cut);
        assertThatThrownBy(() -> restore(shortened, storage.reader())).isInstanceOf(CorruptCheckpointException.class);
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
