package io.tidemark.checkpoint.storage;

import io.tidemark.StorageSpaceException;
import io.tidemark.checkpoint.format.FileKind;
import io.tidemark.checkpoint.format.FileReference;
import io.tidemark.checkpoint.fs.NioCheckpointFileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Child JVM of {@link TmpfsDiskFullTest}, running on a small private tmpfs: commits checkpoint 1, fills the disk with
 * checkpoint 2, and checks (inside the mount namespace, which vanishes with the child) that only checkpoint 2 was
 * lost, nothing of it is left, and checkpoint 3 commits once its space is free again. Prints one line per step.
 */
public final class TmpfsDiskFullChild {
    private TmpfsDiskFullChild() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]).resolve("checkpoints");
        NioCheckpointFileSystem fs = NioCheckpointFileSystem.INSTANCE;
        CheckpointStorage storage = Restart.open(CheckpointStorageConfig.of(root), fs, RestorePolicy.LATEST_ONLY);
        Workload.write(storage, 1, true);
        PendingCheckpoint p = storage.begin(2);
        byte[] noise = new byte[1 << 20];
        Random random = new Random(2);
        try {
            for (int i = 0; i < 8; i++) { // 8 MiB of incompressible state on a 3 MiB disk
                random.nextBytes(noise);
                Workload.writeFile(
                        p,
                        "task-" + i + ".keyed",
                        FileReference.Scope.EXCLUSIVE,
                        FileKind.KEYED_STATE,
                        Workload.range(0),
                        noise);
            }
            p.commit(new byte[0]);
            System.out.println("UNEXPECTED checkpoint 2 committed");
        } catch (StorageSpaceException e) {
            p.abort(e);
            System.out.println("SPACE " + e.getMessage());
        }
        System.out.println("CHK2_GONE " + !Files.exists(root.resolve("chk-2")));
        CheckpointStorage reopened = Restart.open(CheckpointStorageConfig.of(root), fs, RestorePolicy.LATEST_ONLY);
        Workload.assertRestores(fs, reopened.latest());
        System.out.println("RESTORED " + reopened.latest().checkpointId());
        Workload.write(reopened, 3, true);
        Workload.assertRestores(fs, reopened.latest());
        try (Stream<Path> tmp = Files.walk(root)) {
            System.out.println("TMP_FILES "
                    + tmp.filter(f -> f.toString().endsWith(".tmp")).count());
        }
        System.out.println("OK latest=" + reopened.latest().checkpointId());
    }
}
