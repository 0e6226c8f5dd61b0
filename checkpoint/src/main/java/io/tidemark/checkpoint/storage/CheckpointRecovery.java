package io.tidemark.checkpoint.storage;

import io.tidemark.CorruptCheckpointException;
import io.tidemark.checkpoint.fs.CheckpointFileSystem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Start-up scan of a checkpoint root: verify completed checkpoints newest first, apply the restore policy, rebuild
 * shared-file reference counts, then delete leftovers. Deletes nothing when it refuses to start.
 */
final class CheckpointRecovery {
    private final CheckpointStorage storage;
    private final CheckpointFileSystem fs;
    private final CheckpointLayout layout;

    CheckpointRecovery(CheckpointStorage storage, CheckpointFileSystem fs, CheckpointLayout layout) {
        this.storage = storage;
        this.fs = fs;
        this.layout = layout;
    }

    RecoveryReport run(RestorePolicy policy) {
        fs.createDirectories(layout.sharedDirectory());
        List<Long> complete = new ArrayList<>();
        List<Path> leftovers = new ArrayList<>();
        for (String name : fs.list(layout.root())) {
            long id = CheckpointLayout.parseCheckpointId(name);
            Path dir = layout.root().resolve(name);
            if (id < 0 || !fs.isDirectory(dir)) {
                continue;
            }
            storage.sawCheckpointId(id);
            if (fs.exists(dir.resolve(CheckpointLayout.METADATA))) {
                complete.add(id);
            } else {
                leftovers.add(dir);
            }
        }
        complete.sort(Collections.reverseOrder());
        List<CompletedCheckpoint> valid = new ArrayList<>();
        List<CorruptCheckpointException> corrupt = new ArrayList<>();
        for (long id : complete) {
            try {
                valid.add(MetadataFiles.load(fs, layout.checkpointDirectory(id), layout.sharedDirectory(), id));
            } catch (CorruptCheckpointException e) {
                if (valid.isEmpty() && policy == RestorePolicy.LATEST_ONLY) {
                    throw refuse(
                            "latest complete checkpoint " + id
                                    + " failed verification; refusing to start (fallback to an older checkpoint was not"
                                    + " requested)",
                            e);
                }
                corrupt.add(e);
            }
        }
        if (!complete.isEmpty() && valid.isEmpty()) {
            throw refuse(
                    "no complete checkpoint verifies (" + complete.size() + " found); refusing to start empty",
                    corrupt.get(0));
        }
        Collections.reverse(valid);
        for (CompletedCheckpoint cp : valid) {
            storage.recovered(cp);
        }
        List<Path> deleted = new ArrayList<>();
        for (Path dir : leftovers) {
            fs.deleteRecursively(dir);
            deleted.add(dir);
        }
        for (CompletedCheckpoint cp : valid) {
            deleteTmpFiles(cp.directory(), deleted);
        }
        storage.applyRetention();
        if (corrupt.isEmpty()) {
            for (String name : fs.list(layout.sharedDirectory())) {
                if (!storage.isReferencedShared(name)) {
                    Path p = layout.sharedDirectory().resolve(name);
                    fs.deleteRecursively(p);
                    deleted.add(p);
                }
            }
        }
        fs.syncDirectory(layout.sharedDirectory());
        fs.syncDirectory(layout.root());
        return new RecoveryReport(storage.retained(), corrupt, deleted);
    }

    private void deleteTmpFiles(Path dir, List<Path> deleted) {
        boolean any = false;
        for (String name : fs.list(dir)) {
            if (name.endsWith(CheckpointLayout.TMP_SUFFIX)) {
                Path p = dir.resolve(name);
                fs.delete(p);
                deleted.add(p);
                any = true;
            }
        }
        if (any) {
            fs.syncDirectory(dir);
        }
    }

    private static CorruptCheckpointException refuse(String what, CorruptCheckpointException cause) {
        CorruptCheckpointException e = new CorruptCheckpointException(
                what + "; cause: " + cause.getMessage(),
                cause.file(),
                cause.offset(),
                cause.expected(),
                cause.actual());
        e.initCause(cause);
        return e;
    }
}
