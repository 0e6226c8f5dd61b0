package io.tidemark.backend.internal;

import io.tidemark.backend.snapshot.StateMetaInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * Entries of one state read from snapshots and not yet claimed by a registration: kept in serialized form, decoded with
 * the right readers when the state is registered, or written back unchanged if it never is.
 */
final class RestoredKeyedState {
    /** One serialized entry. */
    record Entry(int keyGroup, byte[] key, byte[] namespace, byte[] value) {}

    final StateMetaInfo meta;
    final List<Entry> entries = new ArrayList<>();

    RestoredKeyedState(StateMetaInfo meta) {
        this.meta = meta;
    }
}
