package io.tidemark.checkpoint.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@link CheckpointFileSystem} on {@code java.nio}: {@link FileChannel#force(boolean)} for files, and for directories a
 * {@code FileChannel} opened READ on the directory and forced (fsync of the directory fd; works on Linux). Stateless and
 * thread-safe; use {@link #INSTANCE}.
 */
public final class NioCheckpointFileSystem implements CheckpointFileSystem {
    public static final NioCheckpointFileSystem INSTANCE = new NioCheckpointFileSystem();

    private NioCheckpointFileSystem() {}

    @Override
    public WritableFile create(Path file) {
        try {
            return new NioWritableFile(
                    file, FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
        } catch (IOException e) {
            throw StorageErrors.translate("create", file, e);
        }
    }

    @Override
    public ReadableFile openRead(Path file) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            return new NioReadableFile(file, channel, channel.size());
        } catch (IOException e) {
            throw StorageErrors.translate("open", file, e);
        }
    }

    @Override
    public void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw StorageErrors.translate("mkdir", dir, e);
        }
    }

    @Override
    public void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            throw StorageErrors.translate("fsync directory", dir, e);
        }
    }

    @Override
    public void rename(Path source, Path target) {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw StorageErrors.translate("rename to " + target, source, e);
        }
    }

    @Override
    public DirectoryLock tryLock(Path lockFile) {
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw StorageErrors.translate("open lock file", lockFile, e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by another owner in this JVM
        } catch (IOException e) {
            closeQuietly(channel);
            throw StorageErrors.translate("lock", lockFile, e);
        }
        if (lock == null) {
            closeQuietly(channel);
            return null;
        }
        return () -> closeQuietly(channel); // closing the channel releases the lock
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the lock is released when the channel is gone; nothing else to undo
        }
    }

    @Override
    public List<String> list(Path dir) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path p : stream) {
                names.add(p.getFileName().toString());
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw StorageErrors.translate("list", dir, e);
        }
        Collections.sort(names);
        return names;
    }

    @Override
    public boolean exists(Path path) {
        return Files.exists(path);
    }

    @Override
    public boolean isDirectory(Path path) {
        return Files.isDirectory(path);
    }

    @Override
    public long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw StorageErrors.translate("size", file, e);
        }
    }

    @Override
    public void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw StorageErrors.translate("delete", path, e);
        }
    }

    private static final class NioWritableFile implements WritableFile {
        private final Path path;
        private final FileChannel channel;
        private long position;

        NioWritableFile(Path path, FileChannel channel) {
            this.path = path;
            this.channel = channel;
        }

        @Override
        public Path path() {
            return path;
        }

        @Override
        public void write(ByteBuffer src) {
            try {
                while (src.hasRemaining()) {
                    position += channel.write(src);
                }
            } catch (IOException e) {
                throw StorageErrors.translate("write", path, e);
            }
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public void sync() {
            try {
                channel.force(true);
            } catch (IOException e) {
                throw StorageErrors.translate("fsync", path, e);
            }
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                throw StorageErrors.translate("close", path, e);
            }
        }
    }

    private static final class NioReadableFile implements ReadableFile {
        private final Path path;
        private final FileChannel channel;
        private final long size;

        NioReadableFile(Path path, FileChannel channel, long size) {
            this.path = path;
            this.channel = channel;
            this.size = size;
        }

        @Override
        public Path path() {
            return path;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public int read(ByteBuffer dst, long position) {
            int total = 0;
            try {
                while (dst.hasRemaining()) {
                    int n = channel.read(dst, position + total);
                    if (n < 0) {
                        break;
                    }
                    total += n;
                }
            } catch (IOException e) {
                throw StorageErrors.translate("read", path, e);
            }
            return total;
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                throw StorageErrors.translate("close", path, e);
            }
        }
    }
}
