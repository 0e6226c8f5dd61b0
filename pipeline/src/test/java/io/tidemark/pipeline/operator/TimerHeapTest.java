package io.tidemark.pipeline.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class TimerHeapTest {
    private record Entry(long time, String key) {}

    private static final Comparator<Entry> ORDER =
            Comparator.comparingLong(Entry::time).thenComparing(Entry::key);

    @Test
    void pollsInTimeOrder() {
        TimerHeap heap = new TimerHeap();
        long[] times = {50, 10, 40, 10, 30, 20, 60, 0};
        for (int i = 0; i < times.length; i++) {
            assertThat(heap.add(times[i], "k" + i)).isTrue();
        }
        List<Long> polled = new ArrayList<>();
        TimerHeap.Timer timer;
        while ((timer = heap.poll()) != null) {
            polled.add(timer.time());
        }
        assertThat(polled).containsExactly(0L, 10L, 10L, 20L, 30L, 40L, 50L, 60L);
        assertThat(heap.isEmpty()).isTrue();
        assertThat(heap.peek()).isNull();
    }

    @Test
    void keepsOneTimerPerTimeAndKey() {
        TimerHeap heap = new TimerHeap();
        assertThat(heap.add(5, "a")).isTrue();
        assertThat(heap.add(5, "a")).isFalse();
        assertThat(heap.add(5, new String("a"))).as("an equal key").isFalse();
        assertThat(heap.add(5, "b")).isTrue();
        assertThat(heap.add(6, "a")).isTrue();
        assertThat(heap.size()).isEqualTo(3);
        assertThat(heap.contains(5, "a")).isTrue();
        assertThat(heap.contains(7, "a")).isFalse();
    }

    @Test
    void removesFromAnySlotAndKeepsTheOrder() {
        TimerHeap heap = new TimerHeap();
        for (long time = 0; time < 100; time++) {
            heap.add(time, "k");
        }
        assertThat(heap.remove(0, "k")).as("the head").isTrue();
        assertThat(heap.remove(99, "k")).as("the last slot").isTrue();
        assertThat(heap.remove(37, "k")).as("an inner slot").isTrue();
        assertThat(heap.remove(37, "k")).as("twice").isFalse();
        assertThat(heap.remove(37, "other")).as("another key").isFalse();
        assertThat(heap.contains(37, "k")).isFalse();
        assertThat(heap.size()).isEqualTo(97);
        long previous = Long.MIN_VALUE;
        int polled = 0;
        TimerHeap.Timer timer;
        while ((timer = heap.poll()) != null) {
            assertThat(timer.time()).isGreaterThanOrEqualTo(previous).isNotIn(0L, 37L, 99L);
            previous = timer.time();
            polled++;
        }
        assertThat(polled).isEqualTo(97);
    }

    @Test
    void aPolledTimerCanBeAddedAgain() {
        TimerHeap heap = new TimerHeap();
        heap.add(1, "a");
        TimerHeap.Timer polled = heap.poll();
        assertThat(polled.time()).isEqualTo(1);
        assertThat(polled.key()).isEqualTo("a");
        assertThat(heap.contains(1, "a")).isFalse();
        assertThat(heap.add(1, "a")).isTrue();
    }

    /** Random adds, removes and polls against a sorted set of (time, key); prints its seed. */
    @Test
    void agreesWithASortedSetUnderRandomOperations() {
        long seed = System.nanoTime();
        System.out.println("TimerHeapTest seed=" + seed);
        Random random = new Random(seed);
        TimerHeap heap = new TimerHeap();
        TreeSet<Entry> model = new TreeSet<>(ORDER);
        for (int step = 0; step < 200_000; step++) {
            long time = random.nextInt(500);
            String key = "k" + random.nextInt(20);
            int operation = random.nextInt(10);
            if (operation < 5) {
                assertThat(heap.add(time, key))
                        .as("seed %d step %d", seed, step)
                        .isEqualTo(model.add(new Entry(time, key)));
            } else if (operation < 8) {
                assertThat(heap.remove(time, key))
                        .as("seed %d step %d", seed, step)
                        .isEqualTo(model.remove(new Entry(time, key)));
            } else {
                TimerHeap.Timer polled = heap.poll();
                Entry first = model.isEmpty() ? null : model.first();
                if (first == null) {
                    assertThat(polled).as("seed %d step %d", seed, step).isNull();
                    continue;
                }
                assertThat(polled.time()).as("seed %d step %d", seed, step).isEqualTo(first.time());
                assertThat(model.remove(new Entry(polled.time(), (String) polled.key())))
                        .as("seed %d step %d", seed, step)
                        .isTrue();
            }
            assertThat(heap.size()).as("seed %d step %d", seed, step).isEqualTo(model.size());
            if (!model.isEmpty()) {
                assertThat(heap.peek().time())
                        .as("seed %d step %d", seed, step)
                        .isEqualTo(model.first().time());
            }
        }
    }
}
