package io.tidemark.memory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link FileChannelFactory} whose channels fail once a shared byte quota is used up, as a full disk does. */
final class FaultyChannels implements FileChannelFactory {
    private final AtomicLong remaining;
    private final String failure;

    FaultyChannels(long quota, String failure) {
        this.remaining = new AtomicLong(quota);
        this.failure = failure;
    }

    void quota(long bytes) {
        remaining.set(bytes);
    }

    @Override
    public FileChannel create(Path path) throws IOException {
        return new QuotaChannel(FileChannelFactory.DEFAULT.create(path));
    }

    @Override
    public FileChannel open(Path path) throws IOException {
        return new QuotaChannel(FileChannelFactory.DEFAULT.open(path));
    }

    private final class QuotaChannel extends FileChannel {
        private final FileChannel delegate;

        QuotaChannel(FileChannel delegate) {
            this.delegate = delegate;
        }

        private ByteBuffer limit(ByteBuffer src) throws IOException {
            final long left = remaining.get();
            if (left <= 0) {
                throw new IOException(failure);
            }
            if (src.remaining() > left) {
                final ByteBuffer slice = src.duplicate();
                slice.limit(slice.position() + (int) left);
                return slice;
            }
            return src;
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            final ByteBuffer limited = limit(src);
            final int written = delegate.write(limited, position);
            if (limited != src) {
                src.position(src.position() + written);
            }
            remaining.addAndGet(-written);
            return written;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            final ByteBuffer limited = limit(src);
            final int written = delegate.write(limited);
            if (limited != src) {
                src.position(src.position() + written);
            }
            remaining.addAndGet(-written);
            return written;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            throw new UnsupportedOperationException("not used by page write-back");
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return delegate.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return delegate.read(dsts, offset, length);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return delegate.read(dst, position);
        }

        @Override
        public long position() throws IOException {
            return delegate.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            delegate.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return delegate.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            delegate.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            delegate.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return delegate.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            throw new UnsupportedOperationException("not used by page write-back");
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return delegate.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return delegate.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return delegate.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            delegate.close();
        }
    }
}
