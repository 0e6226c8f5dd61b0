package io.tidemark.backend;

import io.tidemark.backend.snapshot.OperatorStateHandle;
import io.tidemark.backend.snapshot.SnapshotReader;
import io.tidemark.backend.snapshot.SnapshotStorage;
import java.util.List;
import java.util.concurrent.Callable;

/** The operator state of one operator instance, snapshotted in two phases like keyed state. */
public interface OperatorStateBackend extends OperatorStateStore, AutoCloseable {
    /** Synchronous part: copies the (small) operator state; the returned part writes it. */
    Callable<OperatorStateHandle> snapshot(long checkpointId, SnapshotStorage storage);

    /**
     * Restores from the handles of every old instance, in old-instance order, and redistributes by each state's mode
     * for instance {@code index} of {@code parallelism}.
     */
    void restore(List<OperatorStateHandle> handles, SnapshotReader reader, int index, int parallelism);

    /**
     * Names of the registered states and of the restored ones not registered yet (which later snapshots carry).
     * Operator thread only; returns a new list.
     */
    List<String> stateNames();

    @Override
    void close();
}
