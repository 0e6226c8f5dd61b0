package io.tidemark.jmh.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.pipeline.function.SourceContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The open-loop schedule: intended times, lateness carried by late records, bounded input, keys. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CounterSourceTest {
    private static final long MILLI = 1_000_000L;

    /** Collects records with the {@code nanoTime} at which they were emitted. */
    private static final class Collected implements SourceContext<CounterEvent> {
        final List<CounterEvent> records = new ArrayList<>();
        final List<Long> emittedAt = new ArrayList<>();

        @Override
        public void collect(CounterEvent record, long timestamp) {
            emittedAt.add(System.nanoTime());
            records.add(new CounterEvent(record.key, record.intendedNanos)); // the source reuses its record
        }

        @Override
        public void emitWatermark(long watermark) {}
    }

    private static CounterSource source(long rate, MeasuredWindow window) {
        return new CounterSource(rate, 1000, 42, window, new LatencyTally());
    }

    private static void drain(CounterSource source, Collected out) {
        while (source.emitNext(out)) {
            // a record not due yet returns without emitting; the test calls again at once
        }
    }

    @Test
    void pacedRecordsCarryTheirScheduledTimeAndNeverLeaveEarly() {
        MeasuredWindow window = new MeasuredWindow(0, 2 * MILLI);
        CounterSource source = source(1_000_000, window);
        Collected out = new Collected();

        drain(source, out);

        assertThat(out.records).hasSize(2000);
        long start = out.records.get(0).intendedNanos;
        for (int i = 0; i < out.records.size(); i++) {
            assertThat(out.records.get(i).intendedNanos).isEqualTo(start + i * 1000L);
            assertThat(out.emittedAt.get(i)).isGreaterThanOrEqualTo(out.records.get(i).intendedNanos);
        }
    }

    @Test
    void aSourceBehindEmitsAtOnceAndKeepsTheIntendedTimes() {
        MeasuredWindow window = new MeasuredWindow(0, 10 * MILLI);
        CounterSource source = source(1000, window);
        Collected out = new Collected();
        source.emitNext(out);
        long start = out.records.get(0).intendedNanos;
        while (System.nanoTime() < start + 5 * MILLI + MILLI / 2) {
            Thread.onSpinWait(); // the source thread was held up: records 1 to 5 are overdue
        }

        for (int i = 0; i < 5; i++) {
            source.emitNext(out);
        }

        assertThat(out.records).hasSize(6);
        for (int i = 1; i <= 5; i++) {
            CounterEvent late = out.records.get(i);
            assertThat(late.intendedNanos).isEqualTo(start + i * MILLI);
            assertThat(out.emittedAt.get(i) - late.intendedNanos).isGreaterThanOrEqualTo((5 - i) * MILLI + MILLI / 2);
        }
    }

    @Test
    void unpacedEndsWithTheWindowAndStampsTheEmissionTime() {
        MeasuredWindow window = new MeasuredWindow(MILLI, MILLI);
        CounterSource source = source(0, window);
        Collected out = new Collected();

        drain(source, out);

        assertThat(out.records).isNotEmpty();
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < out.records.size(); i++) {
            long intended = out.records.get(i).intendedNanos;
            assertThat(intended).isGreaterThanOrEqualTo(previous).isLessThan(window.endNanos());
            assertThat(out.emittedAt.get(i)).isGreaterThanOrEqualTo(intended);
            previous = intended;
        }
    }

    @Test
    void keysAreInRangeAndTheSameForTheSameSeed() {
        Collected first = new Collected();
        Collected second = new Collected();
        drain(source(10_000_000, new MeasuredWindow(0, MILLI)), first);
        drain(source(10_000_000, new MeasuredWindow(0, MILLI)), second);

        assertThat(first.records).hasSize(10_000).hasSameSizeAs(second.records);
        for (int i = 0; i < first.records.size(); i++) {
            assertThat(first.records.get(i).key).isBetween(0L, 999L).isEqualTo(second.records.get(i).key);
        }
    }
}
