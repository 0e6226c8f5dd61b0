package io.tidemark.pipeline.runtime;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.tidemark.pipeline.IdleMode;
import io.tidemark.pipeline.function.RecordCopier;
import io.tidemark.pipeline.operator.PlanNode;
import org.agrona.concurrent.IdleStrategy;

/**
 * One edge between a producer instance and a consumer instance: a single-producer Disruptor ring of pre-allocated
 * {@link StreamEvent}s and the consumer's sequence.
 *
 * <p>The producer keeps its own claim and a cached copy of the consumer's sequence (re-read only when the ring looks
 * full), fills slots in place, and moves the ring's cursor with {@link RingBuffer#publish(long)}; the sequencer's claim
 * methods are not used. Batching: the producer fills slots one by one but publishes them together, when its chain ends a step
 * ({@link #flush()}), when {@link #PUBLISH_BATCH} slots are pending, or before it waits for space; the consumer reads
 * every published slot up to the cursor in one pass and releases them with one write of its sequence.
 *
 * <p>Backpressure: a full ring holds the producer back. While it waits it lets its worker step the chains that are
 * downstream of it on the same thread ({@link Chain#helpWhileBlocked()}), which is what drains a ring whose consumer
 * shares the producer's thread; otherwise it idles with the job's {@link IdleMode}. The wait gives up when the attempt
 * is cancelled, so a failing pipeline never hangs on a full ring.
 *
 * <p>The consumer polls the cursor itself (a worker serves several channels), so the ring's wait strategy is never
 * used: busy-spin is chosen only because its publish path does not signal (the blocking strategy takes a lock on
 * every publish).
 *
 * <p>Threads: {@link #publish}, {@link #flush} and {@link #waitForCapacity} on the producer's worker; {@link #available},
 * {@link #get}, {@link #release} on the consumer's; {@link #backlog} on any.
 */
public final class Channel {
    /** Slots claimed before the producer publishes them even inside a step. */
    static final int PUBLISH_BATCH = 64;

    private final RingBuffer<StreamEvent> ring;
    private final Sequence consumed = new Sequence();
    private final Cancellation cancellation;
    private final IdleStrategy producerIdle;
    private final String name;
    private final int publishBatch;
    private final RecordCopier<Object> copier;
    private Chain producer;
    private final int size;
    /** The highest sequence filled (the producer's claim), published or not. */
    private long claimed = -1;
    /** The highest sequence the cursor shows the consumer. */
    private long published = -1;
    /** The consumer's sequence as last read: the producer re-reads it only when the ring looks full. */
    private long consumedCache = -1;

    public Channel(String name, int size, Cancellation cancellation, IdleMode idleMode) {
        this(name, size, cancellation, idleMode, null);
    }

    /**
     * @param slots when not null, each slot holds a record made by its factory and records are copied into it
     */
    @SuppressWarnings("unchecked")
    public Channel(String name, int size, Cancellation cancellation, IdleMode idleMode, PlanNode.RecordSlots<?> slots) {
        this.name = name;
        this.size = size;
        this.copier = slots == null ? null : (RecordCopier<Object>) slots.copier();
        this.ring = RingBuffer.createSingleProducer(
                slots == null
                        ? () -> new StreamEvent(null)
                        : () -> new StreamEvent(slots.factory().get()),
                size,
                new BusySpinWaitStrategy());
        this.ring.addGatingSequences(consumed);
        this.cancellation = cancellation;
        this.producerIdle = idleMode.newStrategy();
        this.publishBatch = Math.max(1, Math.min(PUBLISH_BATCH, size / 4));
    }

    public String name() {
        return name;
    }

    /** Build time: the chain that produces into this channel, which {@link #waitForCapacity} lets help. */
    void producer(Chain chain) {
        this.producer = chain;
    }

    /** Producer thread only. Holds the producer back while the ring is full; publishes in batches. */
    public void publish(byte kind, Object record, long value, long originNanos) {
        final long sequence = claimed + 1;
        if (sequence - size > consumedCache && sequence - size > (consumedCache = consumed.get())) {
            waitForCapacity(sequence);
        }
        StreamEvent event = ring.get(sequence);
        event.kind = kind;
        if (copier != null && kind == StreamEvent.RECORD) {
            copier.copy(record, event.slot);
            event.record = event.slot;
        } else {
            event.record = record;
        }
        event.value = value;
        event.originNanos = originNanos;
        claimed = sequence;
        if (sequence - published >= publishBatch) {
            flush();
        }
    }

    /** Producer thread only: makes every claimed slot visible to the consumer (one ordered write of the cursor). */
    void flush() {
        if (claimed != published) {
            ring.publish(claimed);
            published = claimed;
        }
    }

    private void waitForCapacity(long sequence) {
        if (producer != null) {
            producer.flushOutputs();
        } else {
            flush();
        }
        producerIdle.reset();
        while (sequence - size > (consumedCache = consumed.get())) {
            cancellation.throwIfCancelled();
            if (producer != null && producer.helpWhileBlocked()) {
                producerIdle.reset();
            } else {
                producerIdle.idle();
            }
        }
    }

    /**
     * Producer thread only: slots the producer can fill now without waiting (re-reads the consumer's sequence only
     * when the cached one says fewer than {@code wanted}).
     */
    int freeSlots(int wanted) {
        long free = size - (claimed - consumedCache);
        if (free < wanted) {
            consumedCache = consumed.get();
            free = size - (claimed - consumedCache);
        }
        return (int) free;
    }

    /** Consumer thread: highest published sequence. */
    long available() {
        return ring.getCursor();
    }

    long consumedSequence() {
        return consumed.get();
    }

    void release(long sequence) {
        consumed.set(sequence);
    }

    StreamEvent get(long sequence) {
        return ring.get(sequence);
    }

    /** Events published but not yet consumed: the backlog behind this edge. */
    public long backlog() {
        return ring.getCursor() - consumed.get();
    }
}
