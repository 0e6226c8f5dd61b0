package io.tidemark.backend.internal;

import io.tidemark.backend.NamespacedState;
import io.tidemark.state.MapState;
import io.tidemark.state.StateTtlConfig;
import io.tidemark.state.ttl.TtlValue;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link MapState} whose entries expire individually; expired entries are removed when touched, except by reads in
 * read-only access ({@link TtlTime#isReadOnly()}).
 */
final class TtlMapState<N, UK, UV> implements MapState<UK, UV>, NamespacedState<N> {
    private final InternalMapState<N, UK, TtlValue<UV>> state;
    private final StateTtlConfig config;
    private final TtlTime time;
    private final boolean refreshOnRead;

    TtlMapState(InternalMapState<N, UK, TtlValue<UV>> state, StateTtlConfig config, TtlTime time) {
        this.state = state;
        this.config = config;
        this.time = time;
        this.refreshOnRead = config.updateType() == StateTtlConfig.UpdateType.ON_READ_AND_WRITE;
    }

    @Override
    public UV get(UK key) {
        TtlValue<UV> stored = state.get(key);
        if (stored == null) {
            return null;
        }
        long now = time.now(config);
        if (time.isExpired(stored.timestamp(), now, config)) {
            if (!time.isReadOnly()) {
                state.remove(key);
            }
            return null;
        }
        if (refreshOnRead && !time.isReadOnly()) {
            state.put(key, new TtlValue<>(stored.value(), now));
        }
        return stored.value();
    }

    @Override
    public void put(UK key, UV value) {
        state.put(key, new TtlValue<>(value, time.now(config)));
    }

    @Override
    public void putAll(Map<UK, UV> map) {
        for (Map.Entry<UK, UV> entry : map.entrySet()) {
            put(entry.getKey(), entry.getValue());
        }
    }

    @Override
    public void remove(UK key) {
        state.remove(key);
    }

    @Override
    public boolean contains(UK key) {
        return get(key) != null;
    }

    @Override
    public Iterable<Map.Entry<UK, UV>> entries() {
        long now = time.now(config);
        List<Map.Entry<UK, UV>> live = new ArrayList<>();
        List<UK> expired = new ArrayList<>();
        for (Map.Entry<UK, TtlValue<UV>> entry : state.entries()) {
            if (time.isExpired(entry.getValue().timestamp(), now, config)) {
                expired.add(entry.getKey());
            } else {
                live.add(new AbstractMap.SimpleImmutableEntry<>(
                        entry.getKey(), entry.getValue().value()));
            }
        }
        if (time.isReadOnly()) {
            return live;
        }
        for (UK key : expired) {
            state.remove(key);
        }
        if (refreshOnRead) {
            for (Map.Entry<UK, UV> entry : live) {
                state.put(entry.getKey(), new TtlValue<>(entry.getValue(), now));
            }
        }
        return live;
    }

    @Override
    public Iterable<UK> keys() {
        List<UK> keys = new ArrayList<>();
        for (Map.Entry<UK, UV> entry : entries()) {
            keys.add(entry.getKey());
        }
        return keys;
    }

    @Override
    public Iterable<UV> values() {
        List<UV> values = new ArrayList<>();
        for (Map.Entry<UK, UV> entry : entries()) {
            values.add(entry.getValue());
        }
        return values;
    }

    @Override
    public boolean isEmpty() {
        return !entries().iterator().hasNext();
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
