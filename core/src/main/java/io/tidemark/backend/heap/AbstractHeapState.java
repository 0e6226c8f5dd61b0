package io.tidemark.backend.heap;

import io.tidemark.backend.NamespacedState;

/** Shared plumbing of heap states: the table, the owning backend's current key and this state's namespace. */
abstract class AbstractHeapState<N> implements NamespacedState<N> {
    final HeapKeyedStateBackend<?> backend;
    final HeapStateTable table;
    final String name;
    N namespace;

    AbstractHeapState(HeapKeyedStateBackend<?> backend, HeapStateTable table, String name) {
        this.backend = backend;
        this.table = table;
        this.name = name;
    }

    @Override
    public void setCurrentNamespace(N namespace) {
        this.namespace = namespace;
    }

    final Object stored() {
        backend.checkKeyFor(name);
        return table.get(backend.currentKeyGroup(), backend.currentKey(), namespace);
    }

    final void store(Object value) {
        backend.checkKeyFor(name);
        table.put(backend.currentKeyGroup(), backend.currentKey(), namespace, value);
    }

    public final void clear() {
        backend.checkKeyFor(name);
        table.remove(backend.currentKeyGroup(), backend.currentKey(), namespace);
    }
}
