package io.tidemark.pipeline.runtime;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;

/**
 * One edge between a producer instance and a consumer instance: a single-producer Disruptor ring of pre-allocated
 * {@link StreamEvent}s and the consumer's sequence. A full ring blocks the producer (backpressure); the wait gives up
 * when the attempt is cancelled so a failing pipeline never hangs on a full ring. The consumer polls the cursor itself
 * (several channels per thread), so the ring's wait strategy is never used: busy-spin is chosen only because its
 * publish path does not signal (the blocking strategy takes a lock on every publish).
 */
public final class Channel {
    private final RingBuffer<StreamEvent> ring;
    private final Sequence consumed = new Sequence();
    private final Cancellation cancellation;
    private final Idler producerIdler = new Idler();
    private final String name;

    public Channel(String name, int size, Cancellation cancellation) {
        this.name = name;
        this.ring = RingBuffer.createSingleProducer(StreamEvent::new, size, new BusySpinWaitStrategy());
        this.ring.addGatingSequences(consumed);
        this.cancellation = cancellation;
    }

    public String name() {
        return name;
    }

    /** Producer thread only. Blocks while the ring is full. */
    public void publish(byte kind, Object record, long value, long originNanos) {
        if (!ring.hasAvailableCapacity(1)) {
            waitForCapacity();
        }
        long sequence = ring.next();
        StreamEvent event = ring.get(sequence);
        event.kind = kind;
        event.record = record;
        event.value = value;
        event.originNanos = originNanos;
        ring.publish(sequence);
    }

    private void waitForCapacity() {
        producerIdler.reset();
        while (!ring.hasAvailableCapacity(1)) {
            cancellation.throwIfCancelled();
            producerIdler.idle();
        }
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
