package io.tidemark.checkpoint.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.checkpoint.format.DataFileHeader;
import io.tidemark.checkpoint.format.DataFileInputStream;
import io.tidemark.checkpoint.format.DataFileReader;
import io.tidemark.checkpoint.format.FileKind;
import io.tidemark.checkpoint.format.FileReference;
import io.tidemark.checkpoint.fs.CheckpointFileSystem;
import io.tidemark.keygroup.KeyGroupRange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * A deterministic checkpoint workload and its oracle: the content of every file is a function of (checkpoint id,
 * task), so any restored checkpoint can be checked byte for byte without remembering what was written.
 */
final class Workload {
    static final int TASKS = 2;
    static final int SHARED_TASK = 99;

    private Workload() {}

    static byte[] content(long id, int task, int length) {
        Random r = new Random(id * 1_000_003L + task);
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (r.nextInt(4) == 0 ? r.nextInt() : 'a' + (i / 7) % 5);
        }
        return b;
    }

    static byte[] content(long id, int task) {
        return content(id, task, 3000 + (int) (id % 5) * 1000 + task * 100);
    }

    static KeyGroupRange range(int task) {
        return KeyGroupRange.of(task * 64, task * 64 + 63);
    }

    static byte[] payload(long id) {
        return ("payload-" + id).getBytes(StandardCharsets.UTF_8);
    }

    static String sharedName(long id) {
        return "shared-" + id + ".sst";
    }

    /**
     * Writes checkpoint {@code id}: one exclusive file per task; with {@code incremental}, one new shared file and a
     * reuse of the previous latest checkpoint's own shared file (an incremental chain of length two).
     */
    static CompletedCheckpoint write(CheckpointStorage storage, long id, boolean incremental) {
        PendingCheckpoint p = storage.begin(id);
        try {
            for (int t = 0; t < TASKS; t++) {
                writeFile(
                        p,
                        "task-" + t + ".keyed",
                        FileReference.Scope.EXCLUSIVE,
                        FileKind.KEYED_STATE,
                        range(t),
                        content(id, t));
            }
            if (incremental) {
                CompletedCheckpoint prev = storage.latest();
                if (prev != null) {
                    FileReference f = prev.metadata().file(sharedName(prev.checkpointId()), FileReference.Scope.SHARED);
                    if (f != null) {
                        p.reuseSharedFile(f);
                    }
                }
                writeFile(
                        p,
                        sharedName(id),
                        FileReference.Scope.SHARED,
                        FileKind.OTHER,
                        KeyGroupRange.all(128),
                        content(id, SHARED_TASK));
            }
            return p.commit(payload(id));
        } catch (RuntimeException e) {
            p.abort(e);
            throw e;
        }
    }

    static void writeFile(
            PendingCheckpoint p,
            String name,
            FileReference.Scope scope,
            FileKind kind,
            KeyGroupRange range,
            byte[] data) {
        try (CheckpointFileOutput out = p.createFile(name, scope, kind, range)) {
            out.write(data, 0, data.length);
            out.finish();
        }
    }

    /** Reads every file of {@code cp} through the verifying reader and compares it with the oracle. */
    static void assertRestores(CheckpointFileSystem fs, CompletedCheckpoint cp) {
        assertThat(cp.metadata().payload()).isEqualTo(payload(cp.checkpointId()));
        for (FileReference f : cp.metadata().files()) {
            DataFileHeader header;
            byte[] expected;
            if (f.name().startsWith("shared-")) {
                long id = Long.parseLong(f.name().substring(7, f.name().indexOf('.')));
                header = new DataFileHeader(id, KeyGroupRange.all(128), FileKind.OTHER);
                expected = content(id, SHARED_TASK);
            } else {
                int t = Integer.parseInt(f.name().substring(5, f.name().indexOf('.')));
                header = new DataFileHeader(cp.checkpointId(), range(t), FileKind.KEYED_STATE);
                expected = content(cp.checkpointId(), t);
            }
            try (DataFileReader r = CheckpointStorage.openFile(fs, cp, f, header);
                    DataFileInputStream in = r.openStream()) {
                assertThat(in.readAllBytes()).as(f.name()).isEqualTo(expected);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
