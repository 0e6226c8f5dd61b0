package io.tidemark.pipeline.query;

import io.tidemark.backend.OperatorStateStore;
import io.tidemark.function.Collector;
import io.tidemark.function.KeyedProcessFunction;
import io.tidemark.function.RuntimeContext;
import io.tidemark.pipeline.Pipeline;
import io.tidemark.pipeline.PipelineContext;
import io.tidemark.pipeline.PipelineProgram;
import io.tidemark.pipeline.function.SourceContext;
import io.tidemark.pipeline.function.SourceFunction;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.serialization.Serializers;
import io.tidemark.state.ListState;
import io.tidemark.state.ListStateDescriptor;
import io.tidemark.state.ValueState;
import io.tidemark.state.ValueStateDescriptor;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A job with a known generator for query tests: entry {@code n} books quantity {@code n % 7 + 1} on account
 * {@code n % accounts} at the account's fixed price {@code 100 + account}. Queryable state {@code sums} (Long keys)
 * therefore always satisfies {@code notional == volume * (100 + account)} and {@code count <= volume <= 7 * count}; a
 * value breaking that was torn. Input {@code COUNT[,accounts=A][,rate=R]}.
 */
public final class LedgerProgram implements PipelineProgram {
    /** Failure injection: when set, the processing call that brings it to 0 throws once. */
    public static final AtomicLong FAIL_COUNTDOWN = new AtomicLong();

    public record Entry(long account, long quantity) {}

    public record Sums(long count, long volume, long notional) {}

    @Override
    public Pipeline build(PipelineContext config, String input, Path output, int parallelism) {
        String[] parts = input.split(",");
        long count = Long.parseLong(parts[0]);
        long accounts = 10;
        long rate = 0;
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=");
            if (kv[0].equals("accounts")) {
                accounts = Long.parseLong(kv[1]);
            } else if (kv[0].equals("rate")) {
                rate = Long.parseLong(kv[1]);
            }
        }
        long a = accounts;
        long r = rate;
        Pipeline pipeline = new Pipeline(config);
        pipeline.source("entries", () -> new Entries(count, a, r), 1)
                .keyBy(Entry::account, LongSerializer.INSTANCE)
                .process("ledger", Ledger::new, parallelism);
        return pipeline;
    }

    /** The expected sums of {@code account} after all {@code count} entries. */
    public static Sums expected(long count, long accounts, long account) {
        long c = 0;
        long volume = 0;
        for (long n = account; n < count; n += accounts) {
            c++;
            volume += n % 7 + 1;
        }
        return new Sums(c, volume, volume * (100 + account));
    }

    /** True when {@code sums} of {@code account} is one the generator can produce at some point. */
    public static boolean consistent(long account, long count, long volume, long notional) {
        return count > 0 && volume >= count && volume <= 7 * count && notional == volume * (100 + account);
    }

    static final class Entries implements SourceFunction<Entry> {
        private final long count;
        private final long accounts;
        private final long rate;
        private ListState<Long> offset;
        private long next;
        private long startNanos;
        private long startOffset;

        Entries(long count, long accounts, long rate) {
            this.count = count;
            this.accounts = accounts;
            this.rate = rate;
        }

        @Override
        public void initializeState(OperatorStateStore store, boolean restored) {
            offset = store.getListState(new ListStateDescriptor<>("offset", LongSerializer.INSTANCE));
            for (Long o : offset.get()) {
                next = o;
            }
        }

        @Override
        public void snapshotState(long checkpointId) {
            offset.update(List.of(next));
        }

        @Override
        public boolean emitNext(SourceContext<Entry> ctx) {
            if (next >= count) {
                return false;
            }
            if (rate > 0) {
                if (startNanos == 0) {
                    startNanos = System.nanoTime();
                    startOffset = next;
                }
                long due = startNanos + (next - startOffset) * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 50_000) {
                    LockSupport.parkNanos(wait);
                }
            }
            ctx.collect(new Entry(next % accounts, next % 7 + 1), next);
            next++;
            return true;
        }
    }

    static final class Ledger extends KeyedProcessFunction<Long, Entry, Void> {
        private ValueState<Sums> sums;

        @Override
        public void open(RuntimeContext context) {
            ValueStateDescriptor<Sums> descriptor = new ValueStateDescriptor<>("sums", Serializers.of(Sums.class));
            descriptor.setQueryable("sums");
            sums = context.getState(descriptor);
        }

        @Override
        public void processElement(Entry e, Context<Long> ctx, Collector<Void> out) {
            if (FAIL_COUNTDOWN.get() > 0 && FAIL_COUNTDOWN.decrementAndGet() == 0) {
                throw new IllegalStateException("injected failure (query test)");
            }
            Sums s = sums.value();
            long notional = e.quantity() * (100 + e.account());
            sums.update(
                    s == null
                            ? new Sums(1, e.quantity(), notional)
                            : new Sums(s.count() + 1, s.volume() + e.quantity(), s.notional() + notional));
        }
    }
}
