package io.tidemark.pipeline.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.backend.KeyedBackendParameters;
import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.backend.heap.HeapStateBackend;
import io.tidemark.pipeline.queryable.PointQuery;
import io.tidemark.pipeline.queryable.QueryJson;
import io.tidemark.pipeline.queryable.QueryTarget;
import io.tidemark.serialization.StateSerializer;
import io.tidemark.serialization.StringSerializer;
import io.tidemark.state.StateTtlConfig;
import io.tidemark.state.ValueState;
import io.tidemark.state.ValueStateDescriptor;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * P11 / Q1: a live point query leaves state as it found it. The state refreshes its TTL on every read ({@code
 * ON_READ_AND_WRITE}); a query must neither refresh it nor remove an expired entry. The test thread plays the operator
 * thread: it owns the backend and drains the query inbox, as the operator does between records.
 */
class QueryReadOnlyTest {
    private static final long START = 1_000_000L;
    private final AtomicLong now = new AtomicLong(START);
    private final ValueStateDescriptor<String> descriptor = descriptor();
    private final KeyedStateBackend<Object> backend = backend();
    private final QueryTarget target = new QueryTarget("positions", 0, backend);
    private final ValueState<String> position = target.track(descriptor, backend.getOrCreateKeyedState(descriptor));

    @AfterEach
    void close() {
        backend.close();
    }

    @Test
    void queryDoesNotRefreshTtl() {
        write("acct-1", "long 100");
        now.addAndGet(9_000);
        assertThat(query("acct-1")).isEqualTo(new PointQuery.Outcome.Found(QueryJson.MAPPER.valueToTree("long 100")));
        now.addAndGet(1_000);
        backend.setCurrentKey("acct-1");
        assertThat(position.value())
                .as("expired at the write's TTL: the query did not refresh it")
                .isNull();
    }

    @Test
    void queryOfAnExpiredEntryLeavesItStored() {
        write("acct-2", "short 5");
        now.addAndGet(10_000);
        assertThat(query("acct-2")).isEqualTo(new PointQuery.Outcome.Absent());
        now.set(START);
        backend.setCurrentKey("acct-2");
        assertThat(position.value())
                .as("still stored after the query saw it expired")
                .isEqualTo("short 5");
    }

    @Test
    void queryRestoresTheOperatorsCurrentKey() {
        write("acct-3", "flat");
        write("acct-4", "long 1");
        backend.setCurrentKey("acct-3");
        assertThat(query("acct-4")).isInstanceOf(PointQuery.Outcome.Found.class);
        assertThat(backend.currentKey()).isEqualTo("acct-3");
    }

    private void write(String key, String value) {
        backend.setCurrentKey(key);
        position.update(value);
    }

    private PointQuery.Outcome query(String key) {
        PointQuery query = new PointQuery("position", key);
        target.submit(query);
        assertThat(target.drain()).isTrue();
        return query.result().getNow(null);
    }

    private static ValueStateDescriptor<String> descriptor() {
        ValueStateDescriptor<String> descriptor = new ValueStateDescriptor<>("position", StringSerializer.INSTANCE);
        descriptor.enableTimeToLive(new StateTtlConfig(
                Duration.ofSeconds(10),
                StateTtlConfig.TimeDomain.PROCESSING_TIME,
                StateTtlConfig.UpdateType.ON_READ_AND_WRITE,
                false));
        descriptor.setQueryable("position");
        return descriptor;
    }

    @SuppressWarnings("unchecked")
    private KeyedStateBackend<Object> backend() {
        StateSerializer<Object> keys = (StateSerializer<Object>) (StateSerializer<?>) StringSerializer.INSTANCE;
        return new HeapStateBackend()
                .createKeyedStateBackend(KeyedBackendParameters.allKeyGroups("positions", keys, 128)
                        .withClock(now::get));
    }
}
