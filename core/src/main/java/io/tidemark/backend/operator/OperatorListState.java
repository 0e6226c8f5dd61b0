package io.tidemark.backend.operator;

import io.tidemark.state.ListState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/** Operator list state: a plain list owned by the operator thread. */
final class OperatorListState<T> implements ListState<T> {
    final List<T> elements = new ArrayList<>();

    @Override
    public Iterable<T> get() {
        return Collections.unmodifiableList(new ArrayList<>(elements));
    }

    @Override
    public void add(T value) {
        elements.add(Objects.requireNonNull(value, "operator list state element"));
    }

    @Override
    public void update(List<T> values) {
        elements.clear();
        addAll(values);
    }

    @Override
    public void addAll(List<T> values) {
        for (T value : values) {
            add(value);
        }
    }

    @Override
    public void clear() {
        elements.clear();
    }
}
