package io.tidemark.jmh.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Warm-up records are counted, not recorded; latency is measured from the intended time. */
class LatencySinkTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void recordsLatencyFromTheIntendedTimeAfterTheWarmUpOnly() {
        long now = System.nanoTime();
        MeasuredWindow window = new MeasuredWindow(5 * SECOND, 10 * SECOND);
        window.startOnce(now - 10 * SECOND);
        LatencyTally tally = new LatencyTally();
        LatencySink sink = new LatencySink(window, tally, 0);

        sink.invoke(new CounterEvent(1, now - 6 * SECOND), Long.MIN_VALUE); // warm-up
        sink.invoke(new CounterEvent(2, now - 2 * SECOND), Long.MIN_VALUE);
        sink.close();

        assertThat(tally.received()).isEqualTo(2);
        assertThat(tally.measured()).isEqualTo(1);
        assertThat(tally.sinks()).isEqualTo(1);
        assertThat(tally.latency().getMinValue()).isGreaterThanOrEqualTo(2 * SECOND * 999 / 1000);
        assertThat(tally.lastArrival()).isGreaterThanOrEqualTo(now);
    }
}
