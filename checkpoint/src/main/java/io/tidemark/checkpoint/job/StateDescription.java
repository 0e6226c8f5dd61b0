package io.tidemark.checkpoint.job;

import java.util.Objects;

/**
 * What a snapshot records about one state for listing ({@code tidemark inspect}) without loading any class: its name,
 * whether it is keyed or operator state, its type and the {@code describe()} of its serializers. Plain strings, so a
 * listing never fails on a missing serializer class. Immutable.
 *
 * @param scope {@link #KEYED} or {@link #OPERATOR}
 * @param type the state type ({@code VALUE}, {@code LIST}, ...) or the operator-state mode ({@code SPLIT}, ...)
 * @param serializers the serializers' {@code describe()}, e.g. {@code key=long, value=string}
 */
public record StateDescription(String name, String scope, String type, String serializers) {
    public static final String KEYED = "keyed";
    public static final String OPERATOR = "operator";

    public StateDescription {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(serializers, "serializers");
    }
}
