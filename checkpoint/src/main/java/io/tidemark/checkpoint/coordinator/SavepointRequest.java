package io.tidemark.checkpoint.coordinator;

import io.tidemark.checkpoint.storage.CompletedCheckpoint;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * A savepoint asked for through {@link CheckpointCoordinator#triggerSavepoint}: taken into {@code directory} once no
 * checkpoint is in flight; with {@code terminate} no checkpoint follows it (stop with savepoint).
 */
record SavepointRequest(Path directory, boolean terminate, CompletableFuture<CompletedCheckpoint> result) {}
