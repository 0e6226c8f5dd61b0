package io.tidemark.jmh.backend.flink;

import io.tidemark.jmh.backend.BytesValueState;
import io.tidemark.jmh.backend.LongListState;
import io.tidemark.jmh.backend.LongMapState;
import io.tidemark.jmh.backend.LongValueState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.runtime.state.KeyedStateBackend;

/** Adapters from the benchmark state interfaces to Flink's state API: select the key, then call the state. */
final class FlinkStates {
    private FlinkStates() {}

    /** Selects the current key of the shared Flink backend from a key index. */
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

    static final class LongValue extends Keyed implements LongValueState {
        private final ValueState<Long> state;

        LongValue(KeyedStateBackend<Long> backend, Long[] keys, ValueState<Long> state) {
            super(backend, keys);
            this.state = state;
        }

        @Override
        public long get(int key) throws Exception {
            select(key);
            Long value = state.value();
            return value == null ? Long.MIN_VALUE : value;
        }

        @Override
        public void put(int key, long value) throws Exception {
            select(key);
            state.update(value);
        }

        @Override
        public long increment(int key) throws Exception {
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
        public byte[] get(int key) throws Exception {
            select(key);
            return state.value();
        }

        @Override
        public void put(int key, byte[] value) throws Exception {
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
        public void add(int key, long value) throws Exception {
            select(key);
            state.add(value);
        }

        @Override
        public void update(int key, List<Long> values) throws Exception {
            select(key);
            state.update(values);
        }

        @Override
        public long sum(int key) throws Exception {
            select(key);
            long sum = 0;
            Iterable<Long> values = state.get();
            if (values != null) {
                for (Long value : values) {
                    sum += value;
                }
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
        public long get(int key, int userKey) throws Exception {
            select(key);
            Long value = state.get(userKeys[userKey]);
            return value == null ? Long.MIN_VALUE : value;
        }

        @Override
        public void put(int key, int userKey, long value) throws Exception {
            select(key);
            state.put(userKeys[userKey], value);
        }

        @Override
        public boolean contains(int key, int userKey) throws Exception {
            select(key);
            return state.contains(userKeys[userKey]);
        }

        @Override
        public void putAll(int key, long[] values) throws Exception {
            Map<Long, Long> entries = new HashMap<>(values.length * 2);
            for (int i = 0; i < values.length; i++) {
                entries.put(userKeys[i], values[i]);
            }
            select(key);
            state.putAll(entries);
        }

        @Override
        public long sum(int key) throws Exception {
            select(key);
            long sum = 0;
            for (Map.Entry<Long, Long> entry : state.entries()) {
                sum += entry.getKey() + entry.getValue();
            }
            return sum;
        }
    }
}
