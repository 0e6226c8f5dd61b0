package io.tidemark.pipeline.queryable;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.state.AppendingState;
import io.tidemark.state.DoubleValueState;
import io.tidemark.state.LongValueState;
import io.tidemark.state.MapState;
import io.tidemark.state.State;
import io.tidemark.state.ValueState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the current key's value of a keyed state and turns it into a JSON tree on the calling (operator) thread, so the
 * answer is detached from live state before any other thread sees it: a value mutated in place later cannot tear it.
 */
public final class StateValues {
    private StateValues() {}

    /** Operator thread. Returns {@code null} when the current key has no value. */
    public static JsonNode read(State state) {
        Object value = rawValue(state);
        return value == null ? null : QueryJson.MAPPER.valueToTree(value);
    }

    private static Object rawValue(State state) {
        if (state instanceof ValueState<?> v) {
            return v.value();
        }
        if (state instanceof LongValueState l) {
            return l.isPresent() ? l.get() : null;
        }
        if (state instanceof DoubleValueState d) {
            return d.isPresent() ? d.get() : null;
        }
        if (state instanceof MapState<?, ?> m) {
            if (m.isEmpty()) {
                return null;
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entries()) {
                copy.put(String.valueOf(e.getKey()), e.getValue());
            }
            return copy;
        }
        if (state instanceof AppendingState<?, ?> a) {
            Object out = a.get();
            if (out instanceof Iterable<?> it && !it.iterator().hasNext()) {
                return null;
            }
            return out;
        }
        throw new IllegalArgumentException(
                "state type not queryable: type=" + state.getClass().getSimpleName());
    }
}
