package io.tidemark.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The scalar, enum and list-of-scalar write paths allocate nothing once warm: they are on the per-state-access path.
 * Values are created before measuring; only the writes are measured.
 */
class WriteAllocationTest {

    private static final int WARM_UP = 20_000;
    private static final int MEASURED = 20_000;
    /** Tolerance for a one-off allocation by the measuring machinery itself, far below one byte per write. */
    private static final long SLACK_BYTES = 1_024;

    enum Side {
        BUY,
        SELL
    }

    @Test
    void scalarEnumStringAndListWritesDoNotAllocate() {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        Long boxedLong = 123_456_789L;
        Integer boxedInt = 42;
        Double boxedDouble = 3.25;
        String text = "price=12.5 € 🙂";
        List<Long> longs = List.of(1L, 2L, 3L);
        ListSerializer<Long> listSerializer = new ListSerializer<>(LongSerializer.INSTANCE);
        EnumSerializer<Side> enumSerializer = new EnumSerializer<>(Side.class);

        Runnable writes = () -> {
            LongSerializer.INSTANCE.write(boxedLong, buffer, 0);
            IntSerializer.INSTANCE.write(boxedInt, buffer, 8);
            DoubleSerializer.INSTANCE.write(boxedDouble, buffer, 12);
            BooleanSerializer.INSTANCE.write(Boolean.TRUE, buffer, 20);
            enumSerializer.write(Side.SELL, buffer, 21);
            StringSerializer.INSTANCE.write(text, buffer, 25);
            listSerializer.write(longs, buffer, 64);
        };

        assertThat(allocatedBytes(writes)).isLessThan(SLACK_BYTES);
    }

    private static long allocatedBytes(Runnable writes) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        for (int i = 0; i < WARM_UP; i++) {
            writes.run();
        }
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < MEASURED; i++) {
            writes.run();
        }
        return threads.getThreadAllocatedBytes(thread) - before;
    }
}
