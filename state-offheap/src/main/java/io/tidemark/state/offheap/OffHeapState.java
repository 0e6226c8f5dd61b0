package io.tidemark.state.offheap;

import io.tidemark.StateAccessException;
import io.tidemark.backend.NamespacedState;
import io.tidemark.serialization.StateSerializer;
import org.agrona.ExpandableArrayBuffer;

/**
 * Shared plumbing of the off-heap states: the state's tables, and the current namespace serialized once per
 * {@link #setCurrentNamespace} into a reusable buffer together with its hash. Owner thread only.
 *
 * @param <N> the namespace type
 */
abstract class OffHeapState<N> implements NamespacedState<N> {
    final OffHeapKeyedStateBackend<?> backend;
    final StateTables tables;
    final String name;
    private final StateSerializer<N> namespaceSerializer;
    final ExpandableArrayBuffer namespaceBuffer = new ExpandableArrayBuffer(16);
    int namespaceLength = -1;
    private long namespaceHash;
    /** The namespace last set, so that a namespace merge can make it current again. */
    N namespace;

    OffHeapState(OffHeapKeyedStateBackend<?> backend, StateTables tables, StateSerializer<N> namespaceSerializer) {
        this.backend = backend;
        this.tables = tables;
        this.name = tables.name;
        this.namespaceSerializer = namespaceSerializer;
    }

    @Override
    public void setCurrentNamespace(N namespace) {
        this.namespace = namespace;
        if (namespace == null) {
            namespaceLength = -1;
            return;
        }
        namespaceLength = namespaceSerializer.write(namespace, namespaceBuffer, 0);
        namespaceHash = namespaceLength == 0 ? 0 : Hashing.bytes(namespaceBuffer, 0, namespaceLength);
    }

    /** Checks that a key and a namespace are current; every operation calls it first. */
    final void check() {
        backend.checkKeyFor(name);
        if (namespaceLength < 0) {
            throw new StateAccessException("keyed state used without a namespace: state=" + name);
        }
    }

    /** The (key, namespace) hash for fused tables: see {@link FixedTable} for the key part. */
    final long fixedHash() {
        return namespaceLength == 0
                ? backend.fixedKeyHash
                : Hashing.combine(backend.fixedKeyHash, namespaceHash, namespaceLength);
    }

    /** The (key, namespace) hash for record tables, which rehash from stored bytes with {@link Hashing#bytes}. */
    final long recordHash() {
        return Hashing.combine(backend.recordKeyHash(), namespaceHash, namespaceLength);
    }

    public final void clear() {
        check();
        tables.remove(this);
    }
}
