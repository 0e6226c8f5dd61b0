package io.tidemark.jmh.backend.tidemark;

import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.jmh.backend.BytesValueState;
import io.tidemark.jmh.backend.LongListState;
import io.tidemark.jmh.backend.LongMapState;
import io.tidemark.jmh.backend.LongValueState;
import io.tidemark.jmh.backend.PrimitiveLongValueState;
import io.tidemark.state.ListState;
import io.tidemark.state.MapState;
import io.tidemark.state.ValueState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Adapters from the benchmark state interfaces to Tidemark's state API: set the current key, then call the state. */
final class TidemarkStates {
    private TidemarkStates() {}

    private abstract static class Keyed {
        private final KeyedStateBackend<Long> backend;
        private final Long[] keys;

        Keyed(KeyedStateBackend<Long> backend, Long[] keys) {
            this.backend = backend;
            this.keys = keys;
        }

        final void select(int key) {
            backend.setCurrentKey(keys[key]);
        }
    }

    static final class PrimitiveLongValue extends Keyed implements LongValueState {
        private final io.tidemark.state.LongValueState state;

        PrimitiveLongValue(KeyedStateBackend<Long> backend, Long[] keys, io.tidemark.state.LongValueState state) {
            super(backend, keys);
            this.state = state;
        }

        @Override
        public long get(int key) {
            select(key);
            return state.get();
        }

        @Override
        public void put(int key, long value) {
            select(key);
            state.set(value);
        }

        @Override
        public long increment(int key) {
            select(key);
            return state.add(1);
        }
    }

    /** Primitive keys: {@code setCurrentKey(long)}, then the primitive state. No key object on this path. */
    static final class PrimitiveKeyLongValue implements PrimitiveLongValueState {
        private final KeyedStateBackend<Long> backend;
        private final io.tidemark.state.LongValueState state;

        PrimitiveKeyLongValue(KeyedStateBackend<Long> backend, io.tidemark.state.LongValueState state) {
            this.backend = backend;
            this.state = state;
        }

        @Override
        public long get(long key) {
            backend.setCurrentKey(key);
            return state.get();
        }

        @Override
        public void put(long key, long value) {
            backend.setCurrentKey(key);
            state.set(value);
        }

        @Override
        public long increment(long key) {
            backend.setCurrentKey(key);
            return state.add(1);
        }
    }

    static final class BoxedLongValue extends Keyed implements LongValueState {
        private final ValueState<Long> state;

        BoxedLongValue(KeyedStateBackend<Long> backend, Long[] keys, ValueState<Long> state) {
            super(backend, keys);
            this.state = state;
        }

        @Override
        public long get(int key) {
            select(key);
            Long value = state.value();
            return value == null ? Long.MIN_VALUE : value;
        }

        @Override
        public void put(int key, long value) {
            select(key);
            state.update(value);
        }

        @Override
        public long increment(int key) {
            select(key);
            Long value = state.value();
            long next = (value == null ? Long.MIN_VALUE : value) + 1;
            state.update(next);
            return next;
        }
    }

    static final class BytesValue extends Keyed implements BytesValueState {
        private final ValueState<byte[]> state;

        BytesValue(KeyedStateBackend<Long> backend, Long[] keys, ValueState<byte[]> state) {
            super(backend, keys);
            this.state = state;
        }

        @Override
        public byte[] get(int key) {
            select(key);
            return state.value();
        }

        @Override
        public void put(int key, byte[] value) {
            select(key);
            state.update(value);
        }
    }

    static final class LongList extends Keyed implements LongListState {
        private final ListState<Long> state;

        LongList(KeyedStateBackend<Long> backend, Long[] keys, ListState<Long> state) {
            super(backend, keys);
            this.state = state;
        }

        @Override
        public void add(int key, long value) {
            select(key);
            state.add(value);
        }

        @Override
        public void update(int key, List<Long> values) {
            select(key);
            state.update(values);
        }

        @Override
        public long sum(int key) {
            select(key);
            long sum = 0;
            for (Long value : state.get()) {
                sum += value;
            }
            return sum;
        }
    }

    static final class LongMap extends Keyed implements LongMapState {
        private final Long[] userKeys;
        private final MapState<Long, Long> state;

        LongMap(KeyedStateBackend<Long> backend, Long[] keys, Long[] userKeys, MapState<Long, Long> state) {
            super(backend, keys);
            this.userKeys = userKeys;
            this.state = state;
        }

        @Override
        public long get(int key, int userKey) {
            select(key);
            Long value = state.get(userKeys[userKey]);
            return value == null ? Long.MIN_VALUE : value;
        }

        @Override
        public void put(int key, int userKey, long value) {
            select(key);
            state.put(userKeys[userKey], value);
        }

        @Override
        public boolean contains(int key, int userKey) {
            select(key);
            return state.contains(userKeys[userKey]);
        }

        @Override
        public void putAll(int key, long[] values) {
            Map<Long, Long> entries = new HashMap<>(values.length * 2);
            for (int i = 0; i < values.length; i++) {
                entries.put(userKeys[i], values[i]);
            }
            select(key);
            state.putAll(entries);
        }

        @Override
        public long sum(int key) {
            select(key);
            long sum = 0;
            for (Map.Entry<Long, Long> entry : state.entries()) {
                sum += entry.getKey() + entry.getValue();
            }
            return sum;
        }
    }
}
