package io.tidemark.checkpoint.savepoint;

import io.tidemark.ConfigurationException;
import io.tidemark.StorageIOException;
import io.tidemark.TidemarkException;
import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.backend.OperatorStateBackend;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.OperatorStateHandle;
import io.tidemark.backend.snapshot.SnapshotKind;
import io.tidemark.checkpoint.format.CompressionConfig;
import io.tidemark.checkpoint.fs.CheckpointFileSystem;
import io.tidemark.checkpoint.job.StateDescription;
import io.tidemark.checkpoint.job.SubtaskState;
import io.tidemark.checkpoint.offline.StateListings;
import io.tidemark.checkpoint.storage.CheckpointStorage;
import io.tidemark.checkpoint.storage.CompletedCheckpoint;
import io.tidemark.checkpoint.storage.CrashPoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Savepoints: canonical snapshots of every subtask's backends, taken through the SPI into a self-contained, movable
 * directory, restorable by every backend ({@code heap}, {@code chronicle}, {@code offheap}) at any parallelism up to
 * maxParallelism (see {@link io.tidemark.checkpoint.restore.RestorePlanner}).
 *
 * <p>Stateless; control plane. {@link #write} calls each backend's synchronous snapshot part on the calling thread, so
 * call it where the backends may be used: from the operator thread of a single-threaded job, with the job stopped, or
 * offline. A running multi-threaded job uses {@link SavepointWriter} directly, each subtask snapshotting on its own
 * thread.
 */
public final class Savepoints {
    /**
     * One subtask's backends. Either may be {@code null} when the operator has no such state.
     *
     * @param maxParallelism the operator's maxParallelism (also the keyed backend's, when there is one)
     */
    public record SubtaskBackends(
            String operatorId,
            int subtaskIndex,
            int parallelism,
            int maxParallelism,
            KeyedStateBackend<?> keyed,
            OperatorStateBackend operator) {}

    private Savepoints() {}

    /**
     * Writes a savepoint of every given subtask into {@code directory} and commits it. On any failure the directory is
     * removed and the failure thrown: a savepoint is complete or absent.
     *
     * @throws ConfigurationException if {@code directory} exists (and is not an incomplete savepoint), or the subtasks
     *     do not form whole operators
     * @throws io.tidemark.StorageSpaceException or {@link StorageIOException} if writing failed
     */
    public static CompletedCheckpoint write(
            CheckpointFileSystem fs,
            Path directory,
            long savepointId,
            CompressionConfig compression,
            List<SubtaskBackends> subtasks) {
        SavepointWriter writer = SavepointWriter.begin(fs, directory, savepointId, compression);
        try {
            for (SubtaskBackends s : subtasks) {
                writer.add(snapshot(writer, s));
                CrashPoint.hit(CrashPoint.SAVEPOINT_DURING_DATA);
            }
        } catch (RuntimeException e) {
            writer.abort(e);
            throw e;
        }
        return writer.commit();
    }

    /** Takes one subtask's canonical snapshot into {@code writer} (not yet {@link SavepointWriter#add added}). */
    public static SubtaskState snapshot(SavepointWriter writer, SubtaskBackends s) {
        List<KeyedStateHandle> keyed = new ArrayList<>();
        List<OperatorStateHandle> operator = new ArrayList<>();
        List<String> names = List.of();
        if (s.keyed() != null) {
            if (s.keyed().maxParallelism() != s.maxParallelism()) {
                throw new ConfigurationException("keyed backend maxParallelism differs from the operator's: operator="
                        + s.operatorId() + ", backend=" + s.keyed().maxParallelism() + ", operator maxParallelism="
                        + s.maxParallelism());
            }
            names = s.keyed().stateNames();
            keyed.add(call(s.keyed().snapshot(writer.savepointId(), SnapshotKind.CANONICAL, writer.storage()), s));
        }
        if (s.operator() != null) {
            operator.add(call(s.operator().snapshot(writer.savepointId(), writer.storage()), s));
        }
        List<StateDescription> states = new ArrayList<>(StateListings.keyed(keyed, names, writer.reader()));
        states.addAll(StateListings.operator(operator, writer.reader()));
        return new SubtaskState(
                s.operatorId(), s.subtaskIndex(), s.parallelism(), s.maxParallelism(), keyed, operator, states);
    }

    /** Loads and verifies the {@code _metadata} of the savepoint in {@code directory}. */
    public static CompletedCheckpoint load(CheckpointFileSystem fs, Path directory) {
        return CheckpointStorage.loadSavepoint(fs, directory.toAbsolutePath().normalize());
    }

    private static <T> T call(Callable<T> asyncPart, SubtaskBackends s) {
        try {
            return asyncPart.call();
        } catch (TidemarkException e) {
            throw e;
        } catch (Exception e) {
            throw new StorageIOException(
                    "savepoint snapshot failed: operator=" + s.operatorId() + ", subtask=" + s.subtaskIndex(), e);
        }
    }
}
