package io.tidemark.backend.internal;

/**
 * The state of a keyed backend frozen at the synchronous part of a snapshot, read by the snapshot thread. Entries carry
 * canonical values (see {@link RegisteredKeyedState}). Implementations must not see writes made after the capture.
 */
public interface SnapshotSource {
    /** Receives one entry; the objects must not be mutated. */
    interface EntryConsumer {
        void accept(Object key, Object namespace, Object value);
    }

    /** Calls {@code consumer} for every entry of state {@code stateIndex} in {@code keyGroup}. Snapshot thread. */
    void forEachEntry(int stateIndex, int keyGroup, EntryConsumer consumer);

    /** Lets the backend drop what it kept for this snapshot; called once, on success or failure. */
    default void release() {}
}
