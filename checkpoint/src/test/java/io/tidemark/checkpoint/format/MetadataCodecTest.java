package io.tidemark.checkpoint.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.CorruptCheckpointException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** {@code _metadata} round trip, each kind of damage (K2), and the parser property: only the corruption error. */
class MetadataCodecTest {
    static final CheckpointMetadata METADATA = new CheckpointMetadata(
            12,
            1_700_000_000_000L,
            false,
            List.of(
                    new FileReference("s-keyed-0-63.1", FileReference.Scope.EXCLUSIVE, 1234, 0xCAFEBABE),
                    new FileReference("s-keyed-0-63.c11.2", FileReference.Scope.SHARED, 99, 7)),
            new byte[] {1, 2, 3, 4, 5},
            List.of(
                    new InlineStream("s-operator-counter.3", new byte[] {9, 8, 7}),
                    new InlineStream("s-empty.4", new byte[0])));
    static final byte[] VALID = MetadataCodec.encode(METADATA);

    @Test
    void roundTrips() {
        CheckpointMetadata m = MetadataCodec.decode(VALID, "chk-12/_metadata", 12);
        assertThat(m.checkpointId()).isEqualTo(12);
        assertThat(m.timestampMillis()).isEqualTo(METADATA.timestampMillis());
        assertThat(m.files()).isEqualTo(METADATA.files());
        assertThat(m.payload()).isEqualTo(METADATA.payload());
        assertThat(m.savepoint()).isFalse();
        assertThat(m.inline()).hasSize(2);
        assertThat(m.inline("s-operator-counter.3").bytes()).containsExactly(9, 8, 7);
        assertThat(m.inline("s-empty.4").bytes()).isEmpty();
    }

    @Test
    void readsVersionOneWithoutInlineSection() {
        CheckpointMetadata plain = new CheckpointMetadata(12, 5, false, METADATA.files(), new byte[] {4, 2});
        byte[] v2 = MetadataCodec.encode(plain);
        // version 1 is version 2 without the (here empty) inline count: drop it, patch version, length and CRC
        int countAt = v2.length - 4 - plain.payload().length - 4 - 4;
        ByteBuffer v1 = ByteBuffer.allocate(v2.length - 4);
        v1.put(v2, 0, countAt).put(v2, countAt + 4, v2.length - 4 - countAt - 4);
        v1.putShort(MetadataCodec.VERSION_OFFSET, (short) 1).putInt(MetadataCodec.LENGTH_OFFSET, v1.capacity());
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(v1.array(), 0, v1.capacity() - 4);
        v1.putInt(v1.capacity() - 4, (int) crc.getValue());
        CheckpointMetadata m = MetadataCodec.decode(v1.array(), "chk-12/_metadata", 12);
        assertThat(m.files()).isEqualTo(plain.files());
        assertThat(m.payload()).containsExactly(4, 2);
        assertThat(m.inline()).isEmpty();
    }

    @Test
    void refusesEachKindOfDamage() {
        assertRefused(Arrays.copyOf(VALID, VALID.length - 1), "length differs");
        assertRefused(Arrays.copyOf(VALID, 10), "truncated");
        assertRefused(Arrays.copyOf(VALID, VALID.length + 3), "length differs");
        byte[] magic = VALID.clone();
        magic[1] = 'X';
        assertRefused(magic, "bad metadata magic");
        byte[] version = VALID.clone();
        ByteBuffer.wrap(version).putShort(MetadataCodec.VERSION_OFFSET, (short) (MetadataCodec.FORMAT_VERSION + 1));
        assertRefused(version, "unsupported metadata format version");
        byte[] flip = VALID.clone();
        flip[50] ^= 0x20;
        assertRefused(flip, "metadata checksum mismatch");
        assertThatThrownBy(() -> MetadataCodec.decode(VALID, "chk-13/_metadata", 13))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining("belongs to another checkpoint")
                .hasMessageContaining("expected=13, actual=12");
    }

    @Test
    void savepointsHoldOnlyExclusiveFiles() {
        assertThatThrownBy(() -> new CheckpointMetadata(1, 0, true, METADATA.files(), new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        CheckpointMetadata sp =
                new CheckpointMetadata(1, 0, true, METADATA.files().subList(0, 1), new byte[0]);
        assertThat(MetadataCodec.decode(MetadataCodec.encode(sp), "sp/_metadata", -1)
                        .savepoint())
                .isTrue();
    }

    private static void assertRefused(byte[] bytes, String what) {
        assertThatThrownBy(() -> MetadataCodec.decode(bytes, "chk-12/_metadata", 12))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining(what)
                .hasMessageContaining("file=chk-12/_metadata");
    }

    @Property(tries = 500)
    void anyMutationIsRefusedOrHarmless(@ForAll("mutations") byte[] mutated) {
        try {
            CheckpointMetadata m = MetadataCodec.decode(mutated, "chk-12/_metadata", 12);
            assertThat(mutated).isEqualTo(VALID);
            assertThat(m.files()).isEqualTo(METADATA.files());
        } catch (CorruptCheckpointException e) {
            assertThat(e.file()).isEqualTo("chk-12/_metadata");
        }
    }

    @Provide
    Arbitrary<byte[]> mutations() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(0, VALID.length - 1),
                        Arbitraries.integers().between(1, 255),
                        Arbitraries.longs())
                .as((mode, pos, x, seed) -> {
                    byte[] b = VALID.clone();
                    if (mode == 0) {
                        b[pos] ^= (byte) (int) x;
                        return b;
                    }
                    if (mode == 1) {
                        return Arrays.copyOf(b, pos);
                    }
                    Random r = new Random(seed);
                    for (int i = 0; i < 1 + r.nextInt(6); i++) {
                        b[r.nextInt(b.length)] = (byte) r.nextInt();
                    }
                    return b;
                });
    }
}
