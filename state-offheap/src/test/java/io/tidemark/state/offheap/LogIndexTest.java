package io.tidemark.state.offheap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The log index on its own: every key stays findable across doublings and same-size rebuilds; growth bits place
 * entries without reading records for five doublings, and entries past that are rehashed from their record.
 */
class LogIndexTest {
    private final Map<Long, Long> hashOfAddress = new HashMap<>();

    private long find(LogIndex index, long hash, long address) {
        final long match = LogIndex.match(hash, false);
        for (long at = index.home(hash); ; at = index.next(at)) {
            final long e = index.entry(at);
            if (e == LogIndex.EMPTY) {
                return -1;
            }
            if (e != LogIndex.DELETED && LogIndex.pointsAt(e, match, address)) {
                return at;
            }
        }
    }

    @Test
    void keysStayFindableAcrossGrowthAndOnlyOldEntriesAreRehashedFromRecords() {
        final long seed = System.nanoTime();
        System.out.println("keysStayFindableAcrossGrowthAndOnlyOldEntriesAreRehashedFromRecords seed=" + seed);
        final SplittableRandom random = new SplittableRandom(seed);
        try (LogIndex index = new LogIndex(64)) {
            final long tail = 1L << 40;
            final LogIndex.Rehash rehash = (address, entryKey) -> hashOfAddress.get(address);
            // 40 keys at 64 entries, then grow to 64 * 2^6: the first keys lose their growth bits after 5 doublings
            for (int i = 0; i < 3_000; i++) {
                final long hash = random.nextLong();
                final long address = 64 + 8L * i;
                hashOfAddress.put(address, hash);
                index.reserve(1, tail, rehash);
                index.insert(hash, LogIndex.match(hash, false), address);
                if (i == 40) {
                    assertThat(index.recordRehashes).isZero();
                }
            }
            assertThat(index.recordRehashes)
                    .as("entries older than five doublings")
                    .isGreaterThan(0)
                    .isLessThan(300);
            for (Map.Entry<Long, Long> e : hashOfAddress.entrySet()) {
                assertThat(find(index, e.getValue(), e.getKey()))
                        .as("address " + e.getKey())
                        .isGreaterThanOrEqualTo(0);
            }
            // delete half, updating the other half (fresh growth bits), then force same-size rebuilds
            int n = 0;
            for (Map.Entry<Long, Long> e : new HashMap<>(hashOfAddress).entrySet()) {
                final long slot = find(index, e.getValue(), e.getKey());
                if (n++ % 2 == 0) {
                    index.delete(slot);
                    hashOfAddress.remove(e.getKey());
                } else {
                    index.update(slot, e.getValue(), LogIndex.match(e.getValue(), false), e.getKey());
                }
            }
            for (int i = 0; i < 5_000; i++) {
                final long hash = random.nextLong();
                final long address = 64 + 8L * (10_000 + i);
                hashOfAddress.put(address, hash);
                index.reserve(1, tail, rehash);
                index.insert(hash, LogIndex.match(hash, false), address);
            }
            for (Map.Entry<Long, Long> e : hashOfAddress.entrySet()) {
                assertThat(find(index, e.getValue(), e.getKey()))
                        .as("address " + e.getKey())
                        .isGreaterThanOrEqualTo(0);
            }
            assertThat(index.live()).isEqualTo(hashOfAddress.size());
        }
    }
}
