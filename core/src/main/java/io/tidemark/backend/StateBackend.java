package io.tidemark.backend;

/**
 * Creates the keyed and operator state backends of operator instances. A backend is chosen by configuration (its
 * {@link #name()}); application code is the same on every backend. Implementations are thread-safe factories; the
 * backends they create are owned by one operator thread each.
 */
public interface StateBackend {
    /** The configuration name, e.g. {@code heap}, {@code offheap}, {@code chronicle}. */
    String name();

    <K> KeyedStateBackend<K> createKeyedStateBackend(KeyedBackendParameters<K> parameters);

    OperatorStateBackend createOperatorStateBackend(String operatorId);
}
