package io.tidemark.jmh.backend.flink;

import io.tidemark.jmh.backend.BytesValueState;
import io.tidemark.jmh.backend.LongListState;
import io.tidemark.jmh.backend.LongMapState;
import io.tidemark.jmh.backend.LongValueState;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.runtime.state.KeyedStateBackend;

/** Adapters from the benchmark state interfaces to Flink's state API. */
final class FlinkStates {
    private FlinkStates() {}

    record LongValue(KeyedStateBackend<Long> backend, Long[] keys, ValueState<Long> state) implements LongValueState {
        @Override
        public long get(int key) throws Exception {
            backend.setCurrentKey(keys[key]);
            Long value = state.value();
            return value == null ? Long.MIN_VALUE : value;
        }

        @Override
        public void put(int key, long value) throws Exception {
            backend.setCurrentKey(keys[key]);
            state.update(value);
        }
    }

    record BytesValue(KeyedStateBackend<Long> backend, Long[] keys, ValueState<byte[]> state)
            implements BytesValueState {
        @Override
        public byte[] get(int key) throws Exception {
            backend.setCurrentKey(keys[key]);
            return state.value();
        }

        @Override
        public void put(int key, byte[] value) throws Exception {
            backend.setCurrentKey(keys[key]);
            state.update(value);
        }
    }

    record LongList(KeyedStateBackend<Long> backend, Long[] keys, ListState<Long> state) implements LongListState {
        @Override
        public void add(int key, long value) throws Exception {
            backend.setCurrentKey(keys[key]);
            state.add(value);
        }

        @Override
        public void update(int key, List<Long> values) throws Exception {
            backend.setCurrentKey(keys[key]);
            state.update(values);
        }

        @Override
        public long sum(int key) throws Exception {
            backend.setCurrentKey(keys[key]);
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

    record LongMap(KeyedStateBackend<Long> backend, Long[] keys, Long[] userKeys, MapState<Long, Long> state)
            implements LongMapState {
        @Override
        public long get(int key, int userKey) throws Exception {
            backend.setCurrentKey(keys[key]);
            Long value = state.get(userKeys[userKey]);
            return value == null ? Long.MIN_VALUE : value;
        }

        @Override
        public void put(int key, int userKey, long value) throws Exception {
            backend.setCurrentKey(keys[key]);
            state.put(userKeys[userKey], value);
        }

        @Override
        public boolean contains(int key, int userKey) throws Exception {
            backend.setCurrentKey(keys[key]);
            return state.contains(userKeys[userKey]);
        }

        @Override
        public long sum(int key) throws Exception {
            backend.setCurrentKey(keys[key]);
            long sum = 0;
            for (Map.Entry<Long, Long> entry : state.entries()) {
                sum += entry.getKey() + entry.getValue();
            }
            return sum;
        }
    }
}
