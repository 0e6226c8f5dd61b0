package io.tidemark.pipeline.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.backend.KeyedBackendParameters;
import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.backend.heap.HeapStateBackend;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.serialization.StateSerializer;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class KeyedTimersTest {
    /**
     * The per-record case of a window operator: registering a timer that exists (and deleting one that does not) is a
     * lookup in the index, with no state access and no allocation once warm.
     */
    @Test
    @SuppressWarnings("unchecked")
    void registeringAnExistingTimerAllocatesNothing() {
        KeyedStateBackend<Object> backend = new HeapStateBackend()
                .createKeyedStateBackend(KeyedBackendParameters.allKeyGroups(
                        "timers", (StateSerializer<Object>) (StateSerializer<?>) LongSerializer.INSTANCE, 128));
        KeyedTimers timers = new KeyedTimers(backend);
        Long[] keys = new Long[64];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = 1_000_000L + i;
            backend.setCurrentKey(keys[i]);
            timers.register(true, 59_999);
            timers.register(false, 60_000);
        }
        Runnable loop = () -> {
            for (int round = 0; round < 1_000; round++) {
                for (Long key : keys) {
                    backend.setCurrentKey(key);
                    timers.register(true, 59_999);
                    timers.register(false, 60_000);
                    timers.delete(true, 7);
                }
            }
        };
        for (int i = 0; i < 20; i++) {
            loop.run();
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        loop.run();
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        System.out.println("allocated bytes for " + 3 * 1_000 * keys.length + " timer calls: " + allocated);
        assertThat(allocated).isLessThan(1024);
        assertThat(timers.size()).isEqualTo(2 * keys.length);
        backend.close();
    }
}
