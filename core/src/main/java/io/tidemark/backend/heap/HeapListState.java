package io.tidemark.backend.heap;

import io.tidemark.backend.internal.InternalListState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/** List state on the heap: an {@link ArrayList} per key and namespace, copied before change if a snapshot holds it. */
final class HeapListState<N, T> extends AbstractHeapState<N> implements InternalListState<N, T> {
    HeapListState(HeapKeyedStateBackend<?> backend, HeapStateTable table, String name) {
        super(backend, table, name);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Iterable<T> get() {
        List<T> list = (List<T>) stored();
        return list == null ? Collections.emptyList() : Collections.unmodifiableList(new ArrayList<>(list));
    }

    @Override
    public void add(T value) {
        Objects.requireNonNull(value, "list state element");
        mutableList().add(value);
    }

    @Override
    public void update(List<T> values) {
        if (values == null || values.isEmpty()) {
            clear();
            return;
        }
        List<T> copy = new ArrayList<>(values.size());
        for (T value : values) {
            copy.add(Objects.requireNonNull(value, "list state element"));
        }
        store(copy);
    }

    @Override
    public void addAll(List<T> values) {
        if (values == null || values.isEmpty()) {
            return;
        }
        List<T> list = mutableList();
        for (T value : values) {
            list.add(Objects.requireNonNull(value, "list state element"));
        }
    }

    /**
     * Appends the sources' lists to the target's (copied first when a snapshot holds it; a source list is only read,
     * never moved, since a running snapshot may hold it too) and removes the sources.
     */
    @Override
    @SuppressWarnings("unchecked")
    public void mergeNamespaces(N target, Collection<N> sources) {
        Objects.requireNonNull(target, "merge target namespace");
        backend.checkKeyFor(name);
        int keyGroup = backend.currentKeyGroup();
        Object key = backend.currentKey();
        List<T> merged = null;
        for (N source : sources) {
            if (target.equals(source)) {
                continue;
            }
            List<T> list = (List<T>) table.get(keyGroup, key, source);
            if (list == null) {
                continue;
            }
            if (merged == null) {
                merged = (List<T>) table.getForMutation(keyGroup, key, target, v -> new ArrayList<>((List<T>) v));
                if (merged == null) {
                    merged = new ArrayList<>(list.size());
                    table.put(keyGroup, key, target, merged);
                }
            }
            merged.addAll(list);
            table.remove(keyGroup, key, source);
        }
    }

    @SuppressWarnings("unchecked")
    private List<T> mutableList() {
        backend.checkKeyFor(name);
        List<T> list = (List<T>) table.getForMutation(
                backend.currentKeyGroup(), backend.currentKey(), namespace, v -> new ArrayList<>((List<T>) v));
        if (list == null) {
            list = new ArrayList<>(4);
            store(list);
        }
        return list;
    }
}
