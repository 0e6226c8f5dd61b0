package io.tidemark.pipeline.query;

import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.keygroup.KeyGroupAssignment;
import io.tidemark.state.StateDescriptor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

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
    private volatile boolean closed;

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
    KeyedStateBackend<Object> backend() {
        return backend;
    }

    /** Operator thread: records a descriptor when it is queryable; ignores others. */
    public void register(StateDescriptor<?, ?> descriptor) {
        String name = descriptor.queryableName();
        if (name != null) {
            queryable.putIfAbsent(name, descriptor);
        }
    }

    /** Any thread: the queryable states registered so far, by queryable name. */
    Map<String, StateDescriptor<?, ?>> queryableStates() {
        return Map.copyOf(queryable);
    }

    /** Any thread: true when {@code key} belongs to this instance's key groups. */
    boolean owns(Object key) {
        int group = KeyGroupAssignment.assignToKeyGroup(key, backend.maxParallelism());
        return backend.keyGroupRange().contains(group);
    }

    /** Any thread: queues a query; it is answered by the operator thread, or failed as unavailable once closed. */
    void submit(PointQuery query) {
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
     * Operator thread, between records: answers every queued query. Restores the backend's current key afterwards so
     * the operator sees no difference.
     *
     * @return true if any query was answered
     */
    public boolean drain() {
        PointQuery query = inbox.poll();
        if (query == null) {
            return false;
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
            query.answer(StateValues.read(backend.getOrCreateKeyedState(descriptor)));
        } catch (RuntimeException e) {
            query.failed(e);
        }
    }

    /** Any thread: refuses new queries and fails the queued ones as unavailable (the task ended or is restarting). */
    public void close() {
        closed = true;
        failPending();
    }

    private void failPending() {
        PointQuery query;
        while ((query = inbox.poll()) != null) {
            query.unavailable("operator instance stopped: task=" + operator + "#" + subtask);
        }
    }

    /** The targets of one operator among {@code targets}, for listing. */
    static List<QueryTarget> of(List<QueryTarget> targets, String operator) {
        return targets.stream().filter(t -> t.operator.equals(operator)).toList();
    }
}
