package io.tidemark.memory;

import io.tidemark.StorageIOException;
import io.tidemark.StorageSpaceException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.agrona.BufferUtil;
import org.agrona.UnsafeApi;

/**
 * Names, creates, writes, reads and deletes segment files. A segment file is a plain array of pages (page {@code i}
 * of the segment at offset {@code i * pageSize}), created sparse ({@code CREATE_NEW}, no preallocation) at the first
 * write-back of one of its pages, never mapped, never fsynced: it is a working file. Pages are copied between frames
 * and the file with {@code pwrite}/{@code pread} through one direct bounce buffer of a page.
 *
 * <p>Owner thread only, cold path (eviction and fault-in). No allocation once the bounce buffer exists, except when
 * a channel is opened.
 *
 * <p>Errors: a write that finds no space ("No space left on device", "File too large", "Disk quota exceeded") throws
 * {@link StorageSpaceException} naming the file and offset; any other I/O failure {@link StorageIOException}. In both
 * cases the page's frame is untouched and still holds the content.
 */
final class SegmentFiles {
    static final String PREFIX = "segment-";
    static final String SUFFIX = ".dat";

    private final Path directory;
    private final int pageSize;
    private final FileChannelFactory channelFactory;
    private final ChannelCache channels = new ChannelCache(this::open);
    private final ByteBuffer bounce;
    private final long bounceAddress;
    private int created;

    SegmentFiles(Path directory, int pageSize, FileChannelFactory channelFactory) {
        this.directory = directory;
        this.pageSize = pageSize;
        this.channelFactory = channelFactory;
        this.bounce = BufferUtil.allocateDirectAligned(pageSize, FrameMemory.ALIGNMENT);
        this.bounceAddress = BufferUtil.address(bounce);
    }

    Path pathOf(int segmentIndex) {
        return directory.resolve(String.format(Locale.ROOT, "%s%06d%s", PREFIX, segmentIndex, SUFFIX));
    }

    static boolean isSegmentFile(Path path) {
        final String name = path.getFileName().toString();
        return name.startsWith(PREFIX) && name.endsWith(SUFFIX);
    }

    private FileChannel open(Segment segment) throws IOException {
        if (segment.fileCreated) {
            return channelFactory.open(segment.path);
        }
        final FileChannel channel = channelFactory.create(segment.path);
        segment.fileCreated = true;
        created++;
        return channel;
    }

    /**
     * Writes the page held in the frame at {@code frame} to its place in the segment file, creating the file first if
     * needed.
     *
     * @throws StorageSpaceException when the file system has no space left (or a size limit or quota is hit).
     * @throws StorageIOException on any other I/O failure.
     */
    void write(Segment segment, int pageIndex, long frame) {
        final long position = (long) pageIndex * pageSize;
        UnsafeApi.copyMemory(frame, bounceAddress, pageSize);
        bounce.clear();
        try {
            final FileChannel channel = channels.get(segment);
            while (bounce.hasRemaining()) {
                channel.write(bounce, position + bounce.position());
            }
        } catch (IOException ex) {
            if (isOutOfSpace(ex)) {
                throw new StorageSpaceException(
                        "no space to write a page back: file=" + segment.path + ", offset=" + position + ", pageSize="
                                + pageSize + ", reason=" + ex.getMessage(),
                        ex);
            }
            throw new StorageIOException(
                    "cannot write a page back: file=" + segment.path + ", offset=" + position + ", reason=" + ex, ex);
        }
    }

    /**
     * Reads the page from the segment file into the frame at {@code frame}.
     *
     * @throws StorageIOException if the file does not exist, cannot be read or ends inside the page.
     */
    void read(Segment segment, int pageIndex, long frame) {
        final long position = (long) pageIndex * pageSize;
        if (!segment.fileCreated) {
            // Only a page that was never allocated (a caller passing a free id) can get here.
            throw new StorageIOException("no page was ever written back to this segment: file=" + segment.path
                    + ", offset=" + position + ", pageSize=" + pageSize);
        }
        bounce.clear();
        try {
            final FileChannel channel = channels.get(segment);
            while (bounce.hasRemaining()) {
                if (channel.read(bounce, position + bounce.position()) < 0) {
                    throw new StorageIOException("segment file ends inside a page: file=" + segment.path + ", offset="
                            + (position + bounce.position()) + ", pageSize=" + pageSize);
                }
            }
        } catch (IOException ex) {
            throw new StorageIOException(
                    "cannot read a page: file=" + segment.path + ", offset=" + position + ", reason=" + ex, ex);
        }
        UnsafeApi.copyMemory(bounceAddress, frame, pageSize);
    }

    static boolean isOutOfSpace(IOException ex) {
        final String message = String.valueOf(ex.getMessage()).toLowerCase(Locale.ROOT);
        return message.contains("no space left")
                || message.contains("file too large")
                || message.contains("quota exceeded");
    }

    /** Segment files created since open. */
    int created() {
        return created;
    }

    /** Closes the open channels (on close of the store, before the files are deleted). */
    void closeChannels() {
        try {
            channels.closeAll();
        } catch (IOException ex) {
            throw new StorageIOException("cannot close segment files: directory=" + directory + ", reason=" + ex, ex);
        }
    }

    static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ex) {
            throw new StorageIOException("cannot delete segment file: file=" + path + ", reason=" + ex, ex);
        }
    }
}
