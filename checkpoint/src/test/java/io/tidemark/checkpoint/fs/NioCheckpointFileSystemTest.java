package io.tidemark.checkpoint.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.StorageIOException;
import io.tidemark.StorageSpaceException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NioCheckpointFileSystemTest {
    @TempDir
    Path dir;

    final CheckpointFileSystem fs = NioCheckpointFileSystem.INSTANCE;

    @Test
    void writeSyncRenameListReadDelete() {
        Path a = dir.resolve("a.tmp");
        try (WritableFile f = fs.create(a)) {
            f.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            assertThat(f.position()).isEqualTo(3);
            f.sync();
        }
        fs.syncDirectory(dir);
        fs.rename(a, dir.resolve("a"));
        fs.syncDirectory(dir);
        assertThat(fs.list(dir)).containsExactly("a");
        assertThat(fs.size(dir.resolve("a"))).isEqualTo(3);
        try (ReadableFile r = fs.openRead(dir.resolve("a"))) {
            ByteBuffer buf = ByteBuffer.allocate(10);
            assertThat(r.read(buf, 1)).isEqualTo(2);
            assertThat(buf.get(0)).isEqualTo((byte) 2);
        }
        fs.createDirectories(dir.resolve("x/y"));
        fs.deleteRecursively(dir.resolve("x"));
        fs.delete(dir.resolve("a"));
        fs.delete(dir.resolve("a"));
        assertThat(fs.list(dir)).isEmpty();
        assertThat(fs.list(dir.resolve("missing"))).isEmpty();
    }

    @Test
    void errorsAreTypedAndNameTheFile() {
        Path a = dir.resolve("a");
        fs.create(a).close();
        assertThatThrownBy(() -> fs.create(a))
                .isInstanceOf(StorageIOException.class)
                .hasMessageContaining("file=" + a);
        Path missing = dir.resolve("missing/x");
        assertThatThrownBy(() -> fs.openRead(missing))
                .isInstanceOf(StorageIOException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void outOfSpaceMessagesMapToStorageSpaceException() {
        Path f = dir.resolve("f");
        for (String reason : new String[] {"No space left on device", "File too large", "Disk quota exceeded"}) {
            assertThat(StorageErrors.translate("write", f, new IOException(reason)))
                    .isInstanceOf(StorageSpaceException.class)
                    .hasMessageContaining("file=" + f);
        }
        assertThat(StorageErrors.translate("write", f, new IOException("Input/output error")))
                .isInstanceOf(StorageIOException.class)
                .hasMessageContaining("file=" + f);
    }
}
