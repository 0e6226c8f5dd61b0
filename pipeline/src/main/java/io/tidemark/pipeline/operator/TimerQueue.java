package io.tidemark.pipeline.operator;

import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.keygroup.KeyGroupAssignment;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.serialization.StateSerializer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The event-time and processing-time timers of one keyed operator instance, ordered by time and deduplicated per (key,
 * time). Checkpointed as serialized (time, domain, key bytes) entries; on restore each instance keeps the timers whose
 * key falls in its key groups, so timers rescale with their keys. Operator thread only.
 */
final class TimerQueue {
    /** A persisted timer. Public for the record serializer. */
    public record TimerEntry(long time, boolean eventTime, byte[] key) {}

    record Timer(long time, Object key) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer o) {
            return Long.compare(time, o.time);
        }
    }

    private final PriorityQueue<Timer> eventTimers = new PriorityQueue<>();
    private final Set<Timer> eventSet = new HashSet<>();
    private final PriorityQueue<Timer> processingTimers = new PriorityQueue<>();
    private final Set<Timer> processingSet = new HashSet<>();

    void register(boolean eventTime, long time, Object key) {
        Timer timer = new Timer(time, key);
        if ((eventTime ? eventSet : processingSet).add(timer)) {
            (eventTime ? eventTimers : processingTimers).add(timer);
        }
    }

    void delete(boolean eventTime, long time, Object key) {
        Timer timer = new Timer(time, key);
        if ((eventTime ? eventSet : processingSet).remove(timer)) {
            (eventTime ? eventTimers : processingTimers).remove(timer);
        }
    }

    /** The next timer due strictly before {@code bound}, removed, or {@code null}. */
    Timer pollDue(boolean eventTime, long bound) {
        PriorityQueue<Timer> queue = eventTime ? eventTimers : processingTimers;
        Timer head = queue.peek();
        if (head == null || head.time() >= bound) {
            return null;
        }
        queue.poll();
        (eventTime ? eventSet : processingSet).remove(head);
        return head;
    }

    boolean hasProcessingTimers() {
        return !processingTimers.isEmpty();
    }

    int size() {
        return eventTimers.size() + processingTimers.size();
    }

    List<TimerEntry> toEntries(StateSerializer<Object> keySerializer) {
        List<TimerEntry> entries = new ArrayList<>(size());
        ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
        addEntries(entries, eventTimers, true, keySerializer, buffer);
        addEntries(entries, processingTimers, false, keySerializer, buffer);
        return entries;
    }

    void restore(Iterable<TimerEntry> entries, KeyedStateBackend<Object> backend) {
        StateSerializer<Object> serializer = backend.keySerializer();
        KeyGroupRange range = backend.keyGroupRange();
        for (TimerEntry entry : entries) {
            Object key = serializer.read(new UnsafeBuffer(entry.key()), 0, entry.key().length);
            int keyGroup = KeyGroupAssignment.assignToKeyGroup(key, backend.maxParallelism());
            if (range.contains(keyGroup)) {
                register(entry.eventTime(), entry.time(), key);
            }
        }
    }

    private static void addEntries(
            List<TimerEntry> entries,
            PriorityQueue<Timer> queue,
            boolean eventTime,
            StateSerializer<Object> serializer,
            ExpandableArrayBuffer buffer) {
        for (Timer timer : queue) {
            int length = serializer.write(timer.key(), buffer, 0);
            byte[] bytes = new byte[length];
            buffer.getBytes(0, bytes);
            entries.add(new TimerEntry(timer.time(), eventTime, bytes));
        }
    }
}
