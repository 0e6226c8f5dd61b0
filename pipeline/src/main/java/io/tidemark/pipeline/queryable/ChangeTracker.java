package io.tidemark.pipeline.queryable;

import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.serialization.StateSerializer;
import io.tidemark.state.ValueState;
import java.util.HashMap;
import java.util.Map;

/**
 * Remembers the latest value written per key of one queryable value state, for publishing (the shared-memory view).
 * Operator thread only. Off until a publisher first asks for changes, so jobs without a publisher pay one branch per
 * update. Values are copied through the state's serializer so a later in-place mutation cannot reach the publisher.
 */
public final class ChangeTracker {
    /** Marks a cleared key in a change batch. */
    public static final Object CLEARED = new Object();

    /**
     * Set by a publisher before the job starts: trackers then record from the first write, so nothing written before
     * the publisher's first request (after a start or a restore) is missed.
     */
    private static volatile boolean trackFromStart;

    private final KeyedStateBackend<Object> backend;
    private final StateSerializer<Object> serializer;
    private Map<Object, Object> changes = new HashMap<>();
    private boolean enabled;

    @SuppressWarnings("unchecked")
    ChangeTracker(KeyedStateBackend<Object> backend, StateSerializer<?> serializer) {
        this.backend = backend;
        this.serializer = (StateSerializer<Object>) serializer;
        this.enabled = trackFromStart;
    }

    /** Any thread, before the job starts: every tracker created from now on records from its first write. */
    public static void trackFromStart() {
        trackFromStart = true;
    }

    void written(Object value) {
        if (enabled) {
            changes.put(backend.currentKey(), value == null ? CLEARED : serializer.copy(value));
        }
    }

    /** Operator thread: enables tracking and hands over the changes since the last call (key -> value or CLEARED). */
    Map<Object, Object> takeChanges() {
        enabled = true;
        Map<Object, Object> taken = changes;
        changes = new HashMap<>();
        return taken;
    }

    /** A value state that reports writes to a tracker; everything else goes to the backend's state. */
    static final class TrackedValueState<T> implements ValueState<T> {
        private final ValueState<T> state;
        private final ChangeTracker tracker;

        TrackedValueState(ValueState<T> state, ChangeTracker tracker) {
            this.state = state;
            this.tracker = tracker;
        }

        @Override
        public T value() {
            return state.value();
        }

        @Override
        public void update(T value) {
            state.update(value);
            tracker.written(value);
        }

        @Override
        public void clear() {
            state.clear();
            tracker.written(null);
        }
    }
}
