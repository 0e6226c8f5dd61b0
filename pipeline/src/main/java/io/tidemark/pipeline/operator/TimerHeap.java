package io.tidemark.pipeline.operator;

import java.util.Arrays;
import java.util.HashMap;

/**
 * The timers of one time domain of an operator instance, ordered by time for firing: a binary min-heap whose timers
 * know their slot in it, and a hash map from (time, key) to the timer. Adding, deleting and polling take O(log n), the
 * duplicate check and {@link #peek} O(1). Timers of equal time come in no particular order.
 *
 * <p>Derived data: {@link KeyedTimers} keeps the timers as keyed state and rebuilds this index from it at restore.
 *
 * <p>Operator thread only. A new timer allocates its {@link Timer} and a map node (and, now and then, a larger heap
 * array); looking up a timer that exists or does not allocates nothing.
 */
final class TimerHeap {
    /** One timer: its time, its key and its slot in the heap ({@code -1} once it left). */
    static final class Timer {
        private long time;
        private Object key;
        private int slot = -1;

        private Timer(long time, Object key) {
            this.time = time;
            this.key = key;
        }

        long time() {
            return time;
        }

        Object key() {
            return key;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Timer other && other.time == time && other.key.equals(key);
        }

        @Override
        public int hashCode() {
            return 31 * Long.hashCode(time) + key.hashCode();
        }

        @Override
        public String toString() {
            return "Timer{time=" + time + ", key=" + key + "}";
        }
    }

    private final HashMap<Timer, Timer> byTimeAndKey = new HashMap<>();
    /** The lookup key of {@link #add} and {@link #remove}, never stored. */
    private final Timer probe = new Timer(0, null);

    private Timer[] heap = new Timer[64];
    private int size;

    /**
     * Adds the timer unless it is there already.
     *
     * @return whether it was added
     */
    boolean add(long time, Object key) {
        if (byTimeAndKey.containsKey(probe(time, key))) {
            probe.key = null;
            return false;
        }
        probe.key = null;
        Timer timer = new Timer(time, key);
        byTimeAndKey.put(timer, timer);
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        place(timer, size++);
        siftUp(timer.slot);
        return true;
    }

    /**
     * Removes the timer if it is there.
     *
     * @return whether it was there
     */
    boolean remove(long time, Object key) {
        Timer timer = byTimeAndKey.remove(probe(time, key));
        probe.key = null;
        if (timer == null) {
            return false;
        }
        removeAt(timer.slot);
        return true;
    }

    /** The earliest timer, left in place, or {@code null}. */
    Timer peek() {
        return size == 0 ? null : heap[0];
    }

    /** Removes and returns the earliest timer, or {@code null}. */
    Timer poll() {
        if (size == 0) {
            return null;
        }
        Timer head = heap[0];
        byTimeAndKey.remove(head);
        removeAt(0);
        return head;
    }

    boolean contains(long time, Object key) {
        boolean found = byTimeAndKey.containsKey(probe(time, key));
        probe.key = null;
        return found;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    private Timer probe(long time, Object key) {
        probe.time = time;
        probe.key = key;
        return probe;
    }

    private void removeAt(int slot) {
        Timer removed = heap[slot];
        removed.slot = -1;
        int last = --size;
        Timer moved = heap[last];
        heap[last] = null;
        if (slot != last) {
            place(moved, slot);
            if (!siftUp(slot)) {
                siftDown(slot);
            }
        }
    }

    /** Moves the timer at {@code slot} up while it is earlier than its parent; whether it moved. */
    private boolean siftUp(int slot) {
        Timer timer = heap[slot];
        int at = slot;
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            if (heap[parent].time <= timer.time) {
                break;
            }
            place(heap[parent], at);
            at = parent;
        }
        place(timer, at);
        return at != slot;
    }

    private void siftDown(int slot) {
        Timer timer = heap[slot];
        int at = slot;
        int half = size >>> 1;
        while (at < half) {
            int child = 2 * at + 1;
            int right = child + 1;
            if (right < size && heap[right].time < heap[child].time) {
                child = right;
            }
            if (timer.time <= heap[child].time) {
                break;
            }
            place(heap[child], at);
            at = child;
        }
        place(timer, at);
    }

    private void place(Timer timer, int slot) {
        heap[slot] = timer;
        timer.slot = slot;
    }
}
