package io.tidemark.backend;

/** Processing time for state TTL, in epoch milliseconds. Called on the operator thread; must not allocate. */
@FunctionalInterface
public interface TtlClock {
    TtlClock SYSTEM = System::currentTimeMillis;

    long currentTimeMillis();
}
