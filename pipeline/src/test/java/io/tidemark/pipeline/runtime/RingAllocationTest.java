package io.tidemark.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.pipeline.IdleMode;
import io.tidemark.pipeline.operator.RecordOutput;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The edge path (key-group routing, ring publish, consume) allocates nothing once warm. */
class RingAllocationTest {
    private static final int RING = 1024;

    @Test
    void routingPublishingAndConsumingAllocateNothing() {
        Cancellation cancellation = new Cancellation();
        Channel[] channels = {
            new Channel("a", RING, cancellation, IdleMode.BACKOFF),
            new Channel("b", RING, cancellation, IdleMode.BACKOFF)
        };
        String[] keys = {"AAAA", "BBBB", "CCCC", "DDDD"};
        RecordOutput output =
                new RecordOutput(new EdgeOutput[] {EdgeOutput.keyGroups(channels, record -> record, 128)});
        Runnable loop = () -> {
            for (int round = 0; round < 200; round++) {
                for (int i = 0; i < RING / 2; i++) {
                    output.emit(keys[i & 3], i);
                }
                for (Channel channel : channels) {
                    channel.flush();
                    long next = channel.consumedSequence() + 1;
                    long available = channel.available();
                    for (long s = next; s <= available; s++) {
                        channel.get(s).record = null;
                    }
                    channel.release(available);
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
        System.out.println("allocated bytes for " + 200 * RING / 2 + " records: " + allocated);
        assertThat(allocated).isLessThan(1024);
    }
}
