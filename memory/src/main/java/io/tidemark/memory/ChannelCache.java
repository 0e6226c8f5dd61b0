package io.tidemark.memory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * Open channels to segment files, at most {@link #CAPACITY} at once: a store with thousands of small segments must
 * not hold thousands of file descriptors. When full, the channel opened longest ago is closed (FIFO).
 *
 * <p>One thread per instance (the owner's, or one snapshot reader's). {@link #get} allocates only when it opens a
 * channel (cold). Errors of the opener propagate as {@link IOException}.
 */
final class ChannelCache {
    static final int CAPACITY = 64;

    /** Opens the segment's file; called on a miss. */
    @FunctionalInterface
    interface Opener {
        FileChannel open(Segment segment) throws IOException;
    }

    private final Opener opener;
    private final int[] order = new int[CAPACITY];
    private FileChannel[] bySegment = new FileChannel[16];
    private int oldest;
    private int open;

    ChannelCache(Opener opener) {
        this.opener = opener;
    }

    FileChannel get(Segment segment) throws IOException {
        final int index = segment.index;
        if (index >= bySegment.length) {
            bySegment = Arrays.copyOf(bySegment, Math.max(index + 1, bySegment.length * 2));
        }
        final FileChannel cached = bySegment[index];
        if (cached != null) {
            return cached;
        }
        if (open == CAPACITY) {
            final int victim = order[oldest];
            oldest = (oldest + 1) % CAPACITY;
            open--;
            final FileChannel closing = bySegment[victim];
            bySegment[victim] = null;
            closing.close();
        }
        final FileChannel channel = opener.open(segment);
        bySegment[index] = channel;
        order[(oldest + open) % CAPACITY] = index;
        open++;
        return channel;
    }

    /** Closes every channel; the first failure is thrown after all were tried. */
    void closeAll() throws IOException {
        IOException failure = null;
        for (int i = 0; i < bySegment.length; i++) {
            final FileChannel channel = bySegment[i];
            if (channel != null) {
                bySegment[i] = null;
                try {
                    channel.close();
                } catch (IOException ex) {
                    if (failure == null) {
                        failure = ex;
                    } else {
                        failure.addSuppressed(ex);
                    }
                }
            }
        }
        open = 0;
        oldest = 0;
        if (failure != null) {
            throw failure;
        }
    }
}
