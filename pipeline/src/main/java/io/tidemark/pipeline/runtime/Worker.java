package io.tidemark.pipeline.runtime;

import io.tidemark.pipeline.IdleMode;
import org.agrona.concurrent.IdleStrategy;

/**
 * One worker thread of an attempt: steps each of its chains in turn and idles (the job's {@link IdleMode}) when none
 * had work. It stops when all its chains finished, the attempt is cancelled, or a chain fails; the failure is reported
 * to the attempt, which cancels the others. Its chains' operators are closed on this thread as it stops.
 */
final class Worker implements Runnable {
    private final Chain[] chains;
    private final IdleStrategy idle;
    private final Cancellation cancellation;
    private final Task.TaskHost host;

    Worker(Chain[] chains, IdleMode idleMode, Cancellation cancellation, Task.TaskHost host) {
        this.chains = chains;
        this.idle = idleMode.newStrategy();
        this.cancellation = cancellation;
        this.host = host;
    }

    /** The chains, in the order the worker steps them. */
    Chain[] chains() {
        return chains;
    }

    @Override
    public void run() {
        Chain current = null;
        try {
            while (!cancellation.isCancelled()) {
                boolean live = false;
                int work = 0;
                for (Chain chain : chains) {
                    if (!chain.finished()) {
                        live = true;
                        current = chain;
                        if (chain.step()) {
                            work++;
                        }
                    }
                }
                if (!live) {
                    return;
                }
                idle.idle(work);
            }
        } catch (Cancellation.CancelledException e) {
            // the attempt is going down; not this worker's failure
        } catch (Throwable t) {
            host.taskFailed(current == null ? "worker" : current.name(), t);
        } finally {
            for (Chain chain : chains) {
                chain.close();
            }
        }
    }
}
