package io.tidemark.pipeline.operator;

import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.serialization.BooleanSerializer;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.state.MapState;
import io.tidemark.state.MapStateDescriptor;

/**
 * The event-time and processing-time timers of one keyed operator instance, deduplicated per (key, time, domain).
 *
 * <p>The timers are keyed state of the operator's backend: per domain a map state ({@value #EVENT_TIME_STATE},
 * {@value #PROCESSING_TIME_STATE}) whose user keys are the timer times of the current key. So they are snapshotted
 * with the rest of the keyed state (incrementally where the backend is), restored per key group and rescaled with their
 * keys, and a checkpoint's synchronous part does nothing for them. Per domain a {@link TimerHeap} orders them for
 * firing; it is derived data, rebuilt from the states by {@link #restore}. The names start with the prefix that
 * {@link OperatorContext#getState} keeps from user states.
 *
 * <p>Operator thread only. Registering a timer that exists and deleting one that does not touch neither the state
 * nor the heap and allocate nothing; a new timer writes one map entry and allocates its heap entry.
 */
final class KeyedTimers {
    static final String EVENT_TIME_STATE = "_timers_event";
    static final String PROCESSING_TIME_STATE = "_timers_processing";

    /** One time domain: its state and its index. */
    private static final class Domain {
        final String stateName;
        final MapState<Long, Boolean> state;
        final TimerHeap heap = new TimerHeap();

        Domain(KeyedStateBackend<Object> backend, String stateName) {
            this.stateName = stateName;
            this.state = backend.getOrCreateKeyedState(
                    new MapStateDescriptor<>(stateName, LongSerializer.INSTANCE, BooleanSerializer.INSTANCE));
        }
    }

    private final KeyedStateBackend<Object> backend;
    private final Domain eventTime;
    private final Domain processingTime;

    /** Registers the two timer states with {@code backend} (restored ones bind to what it restored). */
    KeyedTimers(KeyedStateBackend<Object> backend) {
        this.backend = backend;
        this.eventTime = new Domain(backend, EVENT_TIME_STATE);
        this.processingTime = new Domain(backend, PROCESSING_TIME_STATE);
    }

    /**
     * Rebuilds the index from the restored states: the timers of the key groups this instance owns, each once. Leaves
     * the last restored key current. Allocates per timer.
     */
    void restore() {
        restore(eventTime);
        restore(processingTime);
    }

    private void restore(Domain domain) {
        backend.forEachKey(domain.stateName, key -> {
            backend.setCurrentKey(key);
            for (Long time : domain.state.keys()) {
                domain.heap.add(time, key);
            }
        });
    }

    /** Registers a timer of the current key at {@code time}, unless it exists. */
    void register(boolean eventTimeDomain, long time) {
        Domain domain = domain(eventTimeDomain);
        Object key = backend.currentKey();
        if (domain.heap.add(time, key)) {
            domain.state.put(time, Boolean.TRUE);
        }
    }

    /** Deletes the timer of the current key at {@code time}, if it exists. */
    void delete(boolean eventTimeDomain, long time) {
        Domain domain = domain(eventTimeDomain);
        if (domain.heap.remove(time, backend.currentKey())) {
            domain.state.remove(time);
        }
    }

    /**
     * The earliest timer due strictly before {@code bound}, deleted, with its key made current; or {@code null}, the
     * current key unchanged.
     */
    TimerHeap.Timer pollDue(boolean eventTimeDomain, long bound) {
        Domain domain = domain(eventTimeDomain);
        TimerHeap.Timer head = domain.heap.peek();
        if (head == null || head.time() >= bound) {
            return null;
        }
        domain.heap.poll();
        backend.setCurrentKey(head.key());
        domain.state.remove(head.time());
        return head;
    }

    boolean hasProcessingTimers() {
        return !processingTime.heap.isEmpty();
    }

    int size() {
        return eventTime.heap.size() + processingTime.heap.size();
    }

    private Domain domain(boolean eventTimeDomain) {
        return eventTimeDomain ? eventTime : processingTime;
    }
}
