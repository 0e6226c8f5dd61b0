package io.tidemark.pipeline.operator;

import io.tidemark.ConfigurationException;
import io.tidemark.function.Collector;
import io.tidemark.function.KeyedProcessFunction;
import io.tidemark.function.OutputTag;
import io.tidemark.function.RuntimeContext;
import io.tidemark.function.TimerService;
import io.tidemark.pipeline.function.MergingWindowAggregate;
import io.tidemark.pipeline.function.WindowProcessing;
import io.tidemark.serialization.ListSerializer;
import io.tidemark.serialization.RecordSerializer;
import io.tidemark.state.ValueState;
import io.tidemark.state.ValueStateDescriptor;
import java.util.ArrayList;
import java.util.List;

/**
 * Event-time session windows as a keyed function: a record with timestamp {@code ts} opens the window {@code [ts, ts +
 * gap)}; windows of a key that overlap or touch merge into one session {@code [first ts, last ts + gap)}, so a session
 * ends once its key sees no record for {@code gap} ms (records at most {@code gap} apart share a session, as in Flink).
 *
 * <p>State, all keyed state of the operator's backend (checkpointed, restored and rescaled with the key):
 *
 * <ul>
 *   <li>{@value #SESSIONS}: the key's live sessions, each {@code (start, end, stateWindow)}, where {@code stateWindow}
 *       is the namespace of the session's contents: the start of the first window of the session, kept when it grows
 *       so that a record extending a session writes its contents in place;
 *   <li>the contents ({@link WindowContents}), in namespace {@code stateWindow}. When a record bridges sessions, their
 *       contents are merged in the backend ({@link io.tidemark.backend.MergingState#mergeNamespaces}) into the first
 *       one's namespace: accumulators with the aggregate's {@code merge}, element lists by concatenation.
 * </ul>
 *
 * <p>Timers: an event-time timer at the session's last millisecond ({@code end - 1}) emits its result; with an allowed
 * lateness {@code L}, one at {@code end - 1 + L} drops its state (without lateness, the firing drops it). When sessions
 * merge, the timers of the sessions merged away are deleted unless another session of the key uses that time, and the
 * merged session's are registered; a timer that finds no session for its time does nothing.
 *
 * <p>Lateness: a record whose own window {@code [ts, ts + gap)} ended more than {@code L} before the watermark is late:
 * counted ({@link #droppedLate()}) and dropped or, with a late-data tag, sent to that side output. A record within the
 * lateness is added to its session (merging as usual, possibly into a session that has fired): when the resulting
 * session has already fired (its end is behind the watermark) it emits its updated result at once; otherwise its timer
 * fires it later with all its records.
 */
public final class SessionWindowOperator<K, IN, OUT> extends KeyedProcessFunction<K, IN, OUT> {
    /** The keyed state holding each key's live sessions. */
    static final String SESSIONS = "_session_windows";

    /** One live session of a key: {@code [start, end)}, its contents in namespace {@code stateWindow}. */
    public record Session(long start, long end, long stateWindow) {
        long last() {
            return end - 1;
        }
    }

    private final long gap;
    private final WindowContents<K, IN, OUT> contents;
    private final OutputTag<IN> lateData;
    private final long allowedLateness;
    private final List<Session> overlapping = new ArrayList<>();
    private final List<Long> mergedAway = new ArrayList<>();
    private ValueState<List<Session>> sessions;
    private WindowFiring<K> firing;
    private long droppedLate;
    private long merges;

    /**
     * Sessions aggregated incrementally by {@code aggregate}, whose {@code merge} combines merging sessions.
     *
     * @param gapMillis how long a key must see no record for its session to end, >= 1
     * @param lateData the side output late records go to, or {@code null} to drop them
     * @param allowedLatenessMillis how long after its end (by the watermark) a session still takes records, >= 0
     * @throws ConfigurationException if the gap is not positive or the lateness is negative
     */
    public SessionWindowOperator(
            long gapMillis,
            MergingWindowAggregate<K, IN, ?, OUT> aggregate,
            OutputTag<IN> lateData,
            long allowedLatenessMillis) {
        this(gapMillis, WindowContents.merging(aggregate), lateData, allowedLatenessMillis);
    }

    /**
     * Sessions evaluated by a process window function, alone (the elements of merging sessions are concatenated) or
     * after an incremental aggregate (merging sessions merge their accumulators); see {@link
     * #SessionWindowOperator(long, MergingWindowAggregate, OutputTag, long)} for the other arguments.
     */
    public SessionWindowOperator(
            long gapMillis,
            WindowProcessing<K, IN, OUT> processing,
            OutputTag<IN> lateData,
            long allowedLatenessMillis) {
        this(gapMillis, WindowContents.of(processing), lateData, allowedLatenessMillis);
    }

    private SessionWindowOperator(
            long gapMillis, WindowContents<K, IN, OUT> contents, OutputTag<IN> lateData, long allowedLatenessMillis) {
        checkShape(gapMillis, allowedLatenessMillis);
        this.gap = gapMillis;
        this.contents = contents;
        this.lateData = lateData;
        this.allowedLateness = allowedLatenessMillis;
    }

    /** @throws ConfigurationException if the gap is not positive or the lateness is negative */
    public static void checkShape(long gapMillis, long allowedLatenessMillis) {
        EventTimeWindowOperator.checkLateness(allowedLatenessMillis);
        if (gapMillis <= 0) {
            throw new ConfigurationException("session gap invalid: gap=" + gapMillis + ", min=1");
        }
    }

    @Override
    public void open(RuntimeContext context) throws Exception {
        OperatorContext operator = (OperatorContext) context;
        sessions = operator.keyedBackend()
                .getOrCreateKeyedState(new ValueStateDescriptor<>(
                        SESSIONS, new ListSerializer<>(new RecordSerializer<>(Session.class))));
        firing = new WindowFiring<>(operator, true);
        contents.open(operator, firing);
    }

    @Override
    public void processElement(IN value, Context<K> ctx, Collector<OUT> out) throws Exception {
        long ts = ctx.timestamp();
        long watermark = ctx.timerService().currentWatermark();
        long start = ts;
        long end = plus(ts, gap);
        if (plus(end - 1, allowedLateness) < watermark) {
            droppedLate++;
            if (lateData != null) {
                ctx.output(lateData, value);
            }
            return;
        }
        List<Session> live = sessions.value();
        List<Session> next = new ArrayList<>(live == null ? 1 : live.size() + 1);
        overlapping.clear();
        if (live != null) {
            for (Session session : live) {
                if (session.start() <= end && start <= session.end()) {
                    overlapping.add(session);
                    start = Math.min(start, session.start());
                    end = Math.max(end, session.end());
                } else {
                    next.add(session);
                }
            }
        }
        Session merged;
        if (overlapping.isEmpty()) {
            merged = new Session(start, end, ts);
        } else {
            merged = new Session(start, end, overlapping.get(0).stateWindow());
            if (overlapping.size() > 1) {
                mergedAway.clear();
                for (int i = 1; i < overlapping.size(); i++) {
                    mergedAway.add(overlapping.get(i).stateWindow());
                }
                contents.merge(merged.stateWindow(), mergedAway);
                merges++;
            }
        }
        next.add(merged);
        TimerService timers = ctx.timerService();
        for (Session old : overlapping) {
            if (old.end() != merged.end()) {
                release(timers, next, old.last());
                release(timers, next, plus(old.last(), allowedLateness));
            }
        }
        contents.select(merged.stateWindow());
        contents.add(value);
        if (merged.last() < watermark) {
            firing.set(ctx, merged.start(), merged.end(), merged.stateWindow());
            contents.emit(firing, out); // the session has fired: update now
        } else {
            timers.registerEventTimeTimer(merged.last());
        }
        if (allowedLateness > 0) {
            timers.registerEventTimeTimer(plus(merged.last(), allowedLateness));
        }
        sessions.update(next);
    }

    /** Deletes the timer at {@code time} unless a session of {@code live} fires or drops its state then. */
    private void release(TimerService timers, List<Session> live, long time) {
        for (Session session : live) {
            if (session.last() == time || plus(session.last(), allowedLateness) == time) {
                return;
            }
        }
        timers.deleteEventTimeTimer(time);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext<K> ctx, Collector<OUT> out) throws Exception {
        List<Session> live = sessions.value();
        if (live == null) {
            return; // a timer of a session that merged away, or that was dropped
        }
        // one time can be the end of one session and the cleanup time of an earlier one
        for (Session session : live) {
            if (session.last() == timestamp) {
                contents.select(session.stateWindow());
                firing.set(ctx, session.start(), session.end(), session.stateWindow());
                contents.emit(firing, out);
            }
        }
        List<Session> kept = null;
        for (int i = 0; i < live.size(); i++) {
            Session session = live.get(i);
            if (plus(session.last(), allowedLateness) == timestamp) {
                contents.select(session.stateWindow());
                firing.set(ctx, session.start(), session.end(), session.stateWindow());
                contents.purge(firing);
                if (kept == null) {
                    kept = new ArrayList<>(live.subList(0, i));
                }
            } else if (kept != null) {
                kept.add(session);
            }
        }
        if (kept != null) {
            sessions.update(kept.isEmpty() ? null : kept);
        }
    }

    @Override
    public void close() throws Exception {
        contents.close();
    }

    /** {@code a + b} for {@code b >= 0}, saturated at {@link Long#MAX_VALUE}. */
    private static long plus(long a, long b) {
        return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
    }

    /** Records that arrived after their session's end plus the allowed lateness. */
    public long droppedLate() {
        return droppedLate;
    }

    /** Times a record bridged sessions, whose contents the backend then merged. */
    public long merges() {
        return merges;
    }
}
