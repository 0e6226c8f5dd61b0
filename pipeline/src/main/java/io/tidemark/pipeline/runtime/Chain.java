package io.tidemark.pipeline.runtime;

import java.util.List;

/**
 * The unit a {@link Worker} runs: one head instance (a source, or an operator fed by rings) and the instances chained
 * to it. A {@link #step} runs the members' mailboxes (checkpoint triggers, commits, queries), one bounded step of the
 * head (whose records flow through the chained members by direct calls), and publishes what the members claimed in
 * their output rings. Worker thread only.
 *
 * <p>A step takes in only what its output rings can hold, so a chain waits for ring space only when an operator emits
 * more than one record per input (a flat map, a watermark firing many windows). Such a producer {@link
 * #helpWhileBlocked helps}: it steps the chains of its worker whose head operator is downstream of this chain's head
 * (the consumer of a full ring is always downstream of its producer, so on a shared worker the ring gets drained; a
 * chain never steps an upstream chain from inside a wait, so nested waits cannot form a cycle), and the sources of its
 * worker (a source step never waits: it emits within its room and delivers barriers only with a free slot in every
 * ring), so a barrier that an aligning consumer needs from another source still arrives.
 */
final class Chain {
    private final Task head;
    private final Task[] members;
    private final Channel[] outputs;
    private Chain[] downstream = new Chain[0];
    private boolean running;
    /** As much as any step takes in (an operator drains at most 256 events per step, a source emits 64). */
    private static final int MAX_ROOM = 256;

    /**
     * @param members the head first, then the chained instances
     * @param outputs every ring the members produce into
     */
    Chain(List<Task> members, List<Channel> outputs) {
        this.head = members.get(0);
        this.members = members.toArray(new Task[0]);
        this.outputs = outputs.toArray(new Channel[0]);
        for (Channel channel : this.outputs) {
            channel.producer(this);
        }
    }

    /** Build time: the chains on the same worker that this one may step while it waits (downstream of its head). */
    void downstream(List<Chain> chains) {
        this.downstream = chains.toArray(new Chain[0]);
    }

    String name() {
        return head.taskName();
    }

    Task[] members() {
        return members;
    }

    boolean finished() {
        return head.finished();
    }

    /**
     * One bounded step; returns true if anything was done. The step takes in no more than the output rings can take
     * without waiting (one record out per record in), and runs the mailboxes (whose barriers go to every ring) only
     * when every output ring has a free slot: a chain whose consumers are behind returns at once instead of waiting,
     * so the other chains of its worker (another source with a barrier to deliver, say) keep running.
     */
    boolean step() throws Exception {
        running = true;
        try {
            boolean worked = false;
            if (room() > 0) {
                for (Task member : members) {
                    worked |= member.processMailbox();
                }
            }
            worked |= head.step(room()); // after the mailbox: its barriers took slots
            for (int i = 1; i < members.length; i++) {
                members[i].operator.onIdle();
            }
            flushOutputs();
            return worked;
        } finally {
            running = false;
        }
    }

    /** Free slots in the fullest output ring, at most {@link #MAX_ROOM}; {@code MAX_ROOM} without output rings. */
    private int room() {
        int room = MAX_ROOM;
        for (Channel channel : outputs) {
            room = Math.min(room, channel.freeSlots(room));
        }
        return room;
    }

    /** Publishes every slot the members claimed. */
    void flushOutputs() {
        for (Channel channel : outputs) {
            channel.flush();
        }
    }

    /** Called by a member's output ring while it is full: steps downstream chains of this worker; true if any worked. */
    boolean helpWhileBlocked() {
        boolean worked = false;
        for (Chain chain : downstream) {
            if (!chain.running && !chain.finished()) {
                try {
                    worked |= chain.step();
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Exception e) {
                    throw new HelpedChainException(chain.name(), e);
                }
            }
        }
        return worked;
    }

    /** On the worker, after it stopped: closes every member. */
    void close() {
        for (Task member : members) {
            member.close();
        }
    }

    /** A checked exception of a chain stepped from inside another chain's wait, naming the failed chain. */
    static final class HelpedChainException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HelpedChainException(String chain, Exception cause) {
            super("operator chain failed: chain=" + chain + ": " + cause, cause);
        }
    }
}
