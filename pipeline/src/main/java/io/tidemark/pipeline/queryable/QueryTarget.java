package io.tidemark.pipeline.queryable;

import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.keygroup.KeyGroupAssignment;
import io.tidemark.state.State;
import io.tidemark.state.StateDescriptor;
import io.tidemark.state.ValueState;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The query inbox of one keyed operator instance. HTTP threads {@link #submit} point queries; the owning operator thread
 * answers them in {@link #drain()} between records (the backend is single-writer, so only that thread may read it). A
 * query therefore sees the state between two records, never a value half-updated. Descriptors of queryable states are
 * registered by the operator thread as the operator's function creates them.
 */
public final class QueryTarget {
    private final String operator;
    private final int subtask;
    private final KeyedStateBackend<Object> backend;
    private final Map<String, StateDescriptor<?, ?>> queryable = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<PointQuery> inbox = new ConcurrentLinkedQueue<>();
    private final Map<String, ChangeTracker> trackers = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<ChangeRequest> changeRequests = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;
    private final AtomicReference<Map<String, Map<Object, Object>>> leftovers = new AtomicReference<>(Map.of());

    public QueryTarget(String operator, int subtask, KeyedStateBackend<Object> backend) {
        this.operator = operator;
        this.subtask = subtask;
        this.backend = backend;
    }

    public String operator() {
        return operator;
    }

    public int subtask() {
        return subtask;
    }

    /** Any thread: the backend's key serializer and ranges are immutable. Its state must not be touched. */
    public KeyedStateBackend<Object> backend() {
        return backend;
    }

    /** Operator thread: records a descriptor when it is queryable; ignores others. */
    public void register(StateDescriptor<?, ?> descriptor) {
        String name = descriptor.queryableName();
        if (name != null) {
            queryable.putIfAbsent(name, descriptor);
        }
    }

    /**
     * Operator thread: the state the function gets for {@code descriptor}. A queryable value state is wrapped so that
     * its writes can be published ({@link #requestChanges}); other states are returned as they are.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <S extends State> S track(StateDescriptor<S, ?> descriptor, S state) {
        register(descriptor);
        String name = descriptor.queryableName();
        if (name == null || !(state instanceof ValueState<?> value)) {
            return state;
        }
        ChangeTracker tracker =
                trackers.computeIfAbsent(name, n -> new ChangeTracker(backend, descriptor.serializer()));
        return (S) new ChangeTracker.TrackedValueState(value, tracker);
    }

    /**
     * Any thread: asks the operator thread for the values written since the previous request, per queryable state
     * name (key -> value, or {@link ChangeTracker#CLEARED}). The first request turns tracking on.
     */
    public CompletableFuture<Map<String, Map<Object, Object>>> requestChanges() {
        ChangeRequest request = new ChangeRequest();
        if (closed) {
            Map<String, Map<Object, Object>> last = leftovers.getAndSet(Map.of());
            request.result.complete(last);
            return request.result;
        }
        changeRequests.add(request);
        if (closed) {
            failPending();
        }
        return request.result;
    }

    private static final class ChangeRequest {
        final CompletableFuture<Map<String, Map<Object, Object>>> result = new CompletableFuture<>();
    }

    private Map<String, Map<Object, Object>> takeChanges() {
        Map<String, Map<Object, Object>> changes = new HashMap<>();
        for (Map.Entry<String, ChangeTracker> e : trackers.entrySet()) {
            changes.put(e.getKey(), e.getValue().takeChanges());
        }
        return changes;
    }

    private boolean drainChangeRequests() {
        ChangeRequest request = changeRequests.poll();
        if (request == null) {
            return false;
        }
        request.result.complete(takeChanges());
        while ((request = changeRequests.poll()) != null) {
            request.result.complete(Map.of());
        }
        return true;
    }

    /** Any thread: true once the instance ended (or its attempt is going down). */
    public boolean isClosed() {
        return closed;
    }

    /** Any thread: the queryable states registered so far, by queryable name. */
    public Map<String, StateDescriptor<?, ?>> queryableStates() {
        return Map.copyOf(queryable);
    }

    /** Any thread: true when {@code key} belongs to this instance's key groups. */
    public boolean owns(Object key) {
        int group = KeyGroupAssignment.assignToKeyGroup(key, backend.maxParallelism());
        return backend.keyGroupRange().contains(group);
    }

    /** Any thread: queues a query; it is answered by the operator thread, or failed as unavailable once closed. */
    public void submit(PointQuery query) {
        if (closed) {
            query.unavailable("operator instance stopped: task=" + operator + "#" + subtask);
            return;
        }
        inbox.add(query);
        if (closed) {
            failPending();
        }
    }

    /**
     * Operator thread, between records: answers every queued query, reading in the backend's read-only access (no TTL
     * refresh, no removal of expired entries: a query never changes state). Restores the backend's current key
     * afterwards so the operator sees no difference.
     *
     * @return true if any query was answered
     */
    public boolean drain() {
        boolean changes = !changeRequests.isEmpty() && drainChangeRequests();
        PointQuery query = inbox.poll();
        if (query == null) {
            return changes;
        }
        Object savedKey = backend.currentKey();
        try {
            do {
                answer(query);
            } while ((query = inbox.poll()) != null);
        } finally {
            if (savedKey != null) {
                backend.setCurrentKey(savedKey);
            }
        }
        return true;
    }

    private void answer(PointQuery query) {
        StateDescriptor<?, ?> descriptor = queryable.get(query.stateName());
        if (descriptor == null) {
            query.notQueryable();
            return;
        }
        try {
            backend.setCurrentKey(query.key());
            State state = backend.getOrCreateKeyedState(descriptor);
            query.answer(backend.readOnly(() -> StateValues.read(state)));
        } catch (RuntimeException e) {
            query.failed(e);
        }
    }

    /**
     * Operator thread, as its task ends: keeps the changes not yet published for a change request waiting at the
     * close or the next one (once), then {@link #close()}s.
     */
    public void closeOnOperatorThread() {
        if (!closed && !trackers.isEmpty()) {
            leftovers.set(takeChanges());
        }
        close();
    }

    /** Any thread: refuses new queries and fails the queued ones as unavailable (the task ended or is restarting). */
    public void close() {
        closed = true;
        failPending();
    }

    private void failPending() {
        ChangeRequest request;
        // the first waiting change request gets what the task kept at its end (the next request gets it otherwise)
        while ((request = changeRequests.poll()) != null) {
            request.result.complete(leftovers.getAndSet(Map.of()));
        }
        PointQuery query;
        while ((query = inbox.poll()) != null) {
            query.unavailable("operator instance stopped: task=" + operator + "#" + subtask);
        }
    }
}
