package io.tidemark.backend.internal;

import io.tidemark.backend.MergingState;
import io.tidemark.state.ListState;
import io.tidemark.state.StateTtlConfig;
import io.tidemark.state.ttl.TtlValue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * {@link ListState} whose elements expire individually; expired elements are dropped when the list is read, except by
 * reads in read-only access ({@link TtlTime#isReadOnly()}).
 */
final class TtlListState<N, T> implements ListState<T>, MergingState<N> {
    private final InternalListState<N, TtlValue<T>> state;
    private final StateTtlConfig config;
    private final TtlTime time;

    TtlListState(InternalListState<N, TtlValue<T>> state, StateTtlConfig config, TtlTime time) {
        this.state = state;
        this.config = config;
        this.time = time;
    }

    @Override
    public Iterable<T> get() {
        long now = time.now(config);
        List<T> live = new ArrayList<>();
        List<TtlValue<T>> kept = new ArrayList<>();
        boolean changed = false;
        for (TtlValue<T> element : state.get()) {
            if (time.isExpired(element.timestamp(), now, config)) {
                changed = true;
            } else {
                live.add(element.value());
                if (config.updateType() == StateTtlConfig.UpdateType.ON_READ_AND_WRITE) {
                    kept.add(new TtlValue<>(element.value(), now));
                    changed = true;
                } else {
                    kept.add(element);
                }
            }
        }
        if (changed && !time.isReadOnly()) {
            state.update(kept);
        }
        return live;
    }

    @Override
    public void add(T value) {
        Objects.requireNonNull(value, "list state element");
        state.add(new TtlValue<>(value, time.now(config)));
    }

    @Override
    public void update(List<T> values) {
        state.update(wrap(values));
    }

    @Override
    public void addAll(List<T> values) {
        state.addAll(wrap(values));
    }

    private List<TtlValue<T>> wrap(List<T> values) {
        long now = time.now(config);
        List<TtlValue<T>> wrapped = new ArrayList<>(values.size());
        for (T value : values) {
            wrapped.add(new TtlValue<>(Objects.requireNonNull(value, "list state element"), now));
        }
        return wrapped;
    }

    @Override
    public void clear() {
        state.clear();
    }

    @Override
    public void setCurrentNamespace(N namespace) {
        state.setCurrentNamespace(namespace);
    }

    /** Concatenates the stored elements: each keeps its own timestamp, expired ones go at the next read. */
    @Override
    public void mergeNamespaces(N target, Collection<N> sources) {
        state.mergeNamespaces(target, sources);
    }
}
