package io.tidemark.state;

import io.tidemark.ConfigurationException;
import io.tidemark.serialization.StateSerializer;

/**
 * Names a state and says how its values are serialized, what an absent value reads as, whether entries expire, and
 * whether the state may be queried from outside the pipeline. Descriptors are configuration: build them once, in
 * {@code open()}, from any thread.
 *
 * @param <S> the state interface it creates
 * @param <T> the stored value type (element type for lists)
 */
public abstract class StateDescriptor<S extends State, T> {
    /** Longest state name, in UTF-16 chars; names go into file headers and metric labels. */
    public static final int MAX_NAME_LENGTH = 256;

    private final String name;
    private final StateSerializer<T> serializer;
    private StateTtlConfig ttlConfig;
    private String queryableName;

    protected StateDescriptor(String name, StateSerializer<T> serializer) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw new ConfigurationException(
                    "state name invalid: name=" + name + ", length must be in [1, " + MAX_NAME_LENGTH + "]");
        }
        if (serializer == null) {
            throw new ConfigurationException("state serializer missing: state=" + name);
        }
        this.name = name;
        this.serializer = serializer;
    }

    public final String name() {
        return name;
    }

    /** The serializer of stored values (of list elements for lists, of map values for maps). */
    public final StateSerializer<T> serializer() {
        return serializer;
    }

    public abstract StateType type();

    /** Enables TTL for this state; call before the state is created. */
    public final StateDescriptor<S, T> enableTimeToLive(StateTtlConfig config) {
        this.ttlConfig = config;
        return this;
    }

    /** The TTL configuration, or {@code null} when entries never expire. */
    public final StateTtlConfig ttlConfig() {
        return ttlConfig;
    }

    /** Makes this state readable from outside the pipeline under {@code queryableName}. */
    public final StateDescriptor<S, T> setQueryable(String queryableName) {
        if (queryableName == null || queryableName.isEmpty()) {
            throw new ConfigurationException(
                    "queryable state name invalid: state=" + name + ", queryableName=" + queryableName);
        }
        this.queryableName = queryableName;
        return this;
    }

    /** The name queries use, or {@code null} when the state is not queryable. */
    public final String queryableName() {
        return queryableName;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "{name=" + name + ", ttl=" + ttlConfig + "}";
    }
}
