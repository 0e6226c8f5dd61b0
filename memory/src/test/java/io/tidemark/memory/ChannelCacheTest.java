package io.tidemark.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** At most {@link ChannelCache#CAPACITY} files open at once, the oldest closed first, reopened on demand. */
class ChannelCacheTest {
    @TempDir
    Path dir;

    @Test
    void closesTheOldestChannelWhenFullAndReopensOnDemand() throws Exception {
        final List<FileChannel> opened = new ArrayList<>();
        final ChannelCache cache = new ChannelCache(segment -> {
            final FileChannel channel = FileChannel.open(
                    segment.path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            opened.add(channel);
            return channel;
        });
        final int segments = ChannelCache.CAPACITY + 6;
        final Segment[] all = new Segment[segments];
        for (int i = 0; i < segments; i++) {
            all[i] = new Segment(i, dir.resolve("segment-" + i), 1);
            assertThat(cache.get(all[i])).isSameAs(opened.get(i));
        }
        assertThat(opened.stream().filter(FileChannel::isOpen).count()).isEqualTo(ChannelCache.CAPACITY);
        for (int i = 0; i < 6; i++) {
            assertThat(opened.get(i).isOpen()).as("oldest closed first: %d", i).isFalse();
        }
        assertThat(cache.get(all[segments - 1])).as("cached").isSameAs(opened.get(segments - 1));
        final FileChannel reopened = cache.get(all[0]);
        assertThat(reopened).isSameAs(opened.get(segments)).matches(FileChannel::isOpen);
        cache.closeAll();
        assertThat(opened).noneMatch(FileChannel::isOpen);
    }
}
