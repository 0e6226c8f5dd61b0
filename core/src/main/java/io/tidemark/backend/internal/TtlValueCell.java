package io.tidemark.backend.internal;

import io.tidemark.state.StateTtlConfig;
import io.tidemark.state.ttl.TtlValue;

/** A {@link ValueCell} over a backend value state of {@link TtlValue}s: never returns an expired value. */
final class TtlValueCell<N, T> implements ValueCell<N, T> {
    private final InternalValueState<N, TtlValue<T>> state;
    private final StateTtlConfig config;
    private final TtlTime time;
    private final boolean refreshOnRead;

    TtlValueCell(InternalValueState<N, TtlValue<T>> state, StateTtlConfig config, TtlTime time) {
        this.state = state;
        this.config = config;
        this.time = time;
        this.refreshOnRead = config.updateType() == StateTtlConfig.UpdateType.ON_READ_AND_WRITE;
    }

    @Override
    public T get() {
        return live(state.value());
    }

    @Override
    public T getForMutation() {
        return live(state.valueForMutation());
    }

    private T live(TtlValue<T> stored) {
        if (stored == null) {
            return null;
        }
        long now = time.now(config);
        if (time.isExpired(stored.timestamp(), now, config)) {
            if (!time.isReadOnly()) {
                state.clear();
            }
            return null;
        }
        if (refreshOnRead && !time.isReadOnly()) {
            state.update(new TtlValue<>(stored.value(), now));
        }
        return stored.value();
    }

    @Override
    public void put(T value) {
        if (value == null) {
            state.clear();
        } else {
            state.update(new TtlValue<>(value, time.now(config)));
        }
    }

    @Override
    public void clear() {
        state.clear();
    }

    @Override
    public void setCurrentNamespace(N namespace) {
        state.setCurrentNamespace(namespace);
    }
}
