package io.tidemark.keygroup;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class KeyGroupAssignmentProperties {
    @Property
    void rangesPartitionAllKeyGroups(
            @ForAll @IntRange(min = 1, max = 4096) int maxParallelism, @ForAll @IntRange(min = 1, max = 4096) int p) {
        int parallelism = Math.min(p, maxParallelism);
        int expectedStart = 0;
        for (int index = 0; index < parallelism; index++) {
            KeyGroupRange range =
                    KeyGroupAssignment.computeKeyGroupRangeForOperatorIndex(maxParallelism, parallelism, index);
            assertThat(range.startKeyGroup()).isEqualTo(expectedStart);
            assertThat(range.isEmpty()).isFalse();
            expectedStart = range.endKeyGroup() + 1;
        }
        assertThat(expectedStart).isEqualTo(maxParallelism);
    }

    @Property
    void everyKeyGroupBelongsToTheRangeOfItsOperator(
            @ForAll @IntRange(min = 1, max = 32768) int maxParallelism,
            @ForAll @IntRange(min = 1, max = 32768) int p,
            @ForAll int keyHash) {
        int parallelism = Math.min(p, maxParallelism);
        int keyGroup = KeyGroupAssignment.computeKeyGroupForKeyHash(keyHash, maxParallelism);
        assertThat(keyGroup).isBetween(0, maxParallelism - 1);
        int operator = KeyGroupAssignment.computeOperatorIndexForKeyGroup(maxParallelism, parallelism, keyGroup);
        assertThat(KeyGroupAssignment.computeKeyGroupRangeForOperatorIndex(maxParallelism, parallelism, operator)
                        .contains(keyGroup))
                .isTrue();
    }

    @Test
    void keyGroupsMatchApacheFlink() {
        // Golden values computed with Apache Flink 2.3.0 (MathUtils.murmurHash,
        // KeyGroupRangeAssignment.assignToKeyGroup
        // at maxParallelism 128); a one-off comparison over 1M random (hash, maxParallelism, parallelism, index) tuples
        // found no difference in key groups or ranges. Equal placement lets state move between the two engines.
        assertThat(KeyGroupAssignment.murmurHash(0)).isEqualTo(593689054);
        assertThat(KeyGroupAssignment.assignToKeyGroup(0L, 128)).isEqualTo(94);
        assertThat(KeyGroupAssignment.assignToKeyGroup(42L, 128)).isEqualTo(29);
        assertThat(KeyGroupAssignment.assignToKeyGroup("AAPL", 128)).isEqualTo(114);
        assertThat(KeyGroupAssignment.assignToKeyGroup("key-7", 128)).isEqualTo(74);
        assertThat(KeyGroupAssignment.assignToKeyGroup(123456789L, 128)).isEqualTo(81);
    }
}
