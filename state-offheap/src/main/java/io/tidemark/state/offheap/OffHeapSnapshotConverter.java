package io.tidemark.state.offheap;

import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.NativeSnapshotConverter;
import io.tidemark.backend.snapshot.SnapshotReader;
import io.tidemark.backend.snapshot.SnapshotStorage;
import io.tidemark.keygroup.KeyGroupRange;

/**
 * Reads {@value NativeSnapshotFormat#FORMAT_NAME} snapshots for tools outside this module ({@code tidemark inspect},
 * the offline reader, the savepoint transform), through the same verified conversion a restore uses. Registered as a
 * {@link NativeSnapshotConverter} service. Stateless; thread-safe.
 */
public final class OffHeapSnapshotConverter implements NativeSnapshotConverter {
    @Override
    public String format() {
        return NativeSnapshotFormat.FORMAT_NAME;
    }

    @Override
    public KeyedStateHandle toCanonical(
            KeyedStateHandle handle,
            SnapshotReader reader,
            KeyGroupRange wanted,
            SnapshotStorage scratch,
            String streamName,
            ClassLoader classLoader) {
        return NativeRestore.toCanonical(handle, reader, wanted, scratch, streamName, classLoader);
    }
}
