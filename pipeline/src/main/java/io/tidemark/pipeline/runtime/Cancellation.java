package io.tidemark.pipeline.runtime;

/** The cancel flag of one pipeline attempt, checked by blocking loops. Thread-safe. */
public final class Cancellation {
    private volatile boolean cancelled;

    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    public void throwIfCancelled() {
        if (cancelled) {
            throw new CancelledException();
        }
    }

    /** Unwinds a task thread whose attempt was cancelled; not an error. */
    public static final class CancelledException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CancelledException() {
            super("pipeline attempt cancelled", null, false, false);
        }
    }
}
