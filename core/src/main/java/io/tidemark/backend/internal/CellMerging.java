package io.tidemark.backend.internal;

import java.util.Collection;
import java.util.Objects;
import java.util.function.BinaryOperator;

/** The namespace merge of states kept in a {@link ValueCell}: reducing and aggregating state, on every backend. */
final class CellMerging {
    private CellMerging() {}

    /**
     * Combines the values of {@code sources} into {@code target} with {@code combine} (target's value first), clears
     * the sources and leaves {@code current} as the cell's namespace. Values are read for mutation: {@code combine} may
     * change and return either argument without touching a value a running snapshot holds.
     */
    static <N, T> void merge(
            ValueCell<N, T> cell, N current, N target, Collection<N> sources, BinaryOperator<T> combine) {
        Objects.requireNonNull(target, "merge target namespace");
        try {
            T merged = null;
            for (N source : sources) {
                if (target.equals(source)) {
                    continue;
                }
                cell.setCurrentNamespace(source);
                T value = cell.getForMutation();
                if (value != null) {
                    cell.clear();
                    merged = merged == null ? value : combine.apply(merged, value);
                }
            }
            if (merged != null) {
                cell.setCurrentNamespace(target);
                T existing = cell.getForMutation();
                cell.put(existing == null ? merged : combine.apply(existing, merged));
            }
        } finally {
            cell.setCurrentNamespace(current);
        }
    }
}
