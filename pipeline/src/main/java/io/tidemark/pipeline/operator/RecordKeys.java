package io.tidemark.pipeline.operator;

import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.pipeline.function.KeySelector;
import io.tidemark.pipeline.function.LongKeySelector;

/**
 * Makes a record's key current on a keyed backend, by one input's key selector: through {@code setCurrentKey(long)}
 * when the selector yields primitive {@code long} keys (no key object on the record path), else with the key object.
 * Operator thread only; allocates nothing itself.
 */
final class RecordKeys {
    private final KeyedStateBackend<Object> backend;
    private final KeySelector<Object, Object> selector;
    /** The selector when it yields primitive long keys, else null. */
    private final LongKeySelector<Object> longKeys;

    @SuppressWarnings("unchecked")
    RecordKeys(KeyedStateBackend<Object> backend, KeySelector<?, ?> selector) {
        this.backend = backend;
        this.selector = (KeySelector<Object, Object>) selector;
        final Object untyped = selector;
        this.longKeys = untyped instanceof LongKeySelector<?> ? (LongKeySelector<Object>) untyped : null;
    }

    /** True when the keys are primitive longs: then the backend takes {@link #prefetch} hints. */
    boolean prefetches() {
        return longKeys != null;
    }

    /** Hints the backend that {@code record}'s key comes soon; only when {@link #prefetches()}. */
    void prefetch(Object record) {
        backend.prefetch(longKeys.getLongKey(record));
    }

    void setCurrentKeyOf(Object record) {
        if (longKeys != null) {
            backend.setCurrentKey(longKeys.getLongKey(record));
        } else {
            backend.setCurrentKey(selector.getKey(record));
        }
    }
}
