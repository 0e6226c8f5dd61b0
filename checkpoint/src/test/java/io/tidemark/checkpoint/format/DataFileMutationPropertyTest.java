package io.tidemark.checkpoint.format;

import static io.tidemark.checkpoint.format.DataFiles.HEADER;
import static io.tidemark.checkpoint.format.DataFiles.SMALL_BLOCKS;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.CorruptCheckpointException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The reader's contract as a property: any mutation or truncation of a valid data file yields either a {@link
 * CorruptCheckpointException} or exactly the original content; never any other exception, never other bytes. jqwik
 * prints the seed of every run; re-run one with {@code @Property(seed = "...")}.
 */
class DataFileMutationPropertyTest {
    private static final byte[] CONTENT = DataFiles.data(new Random(11), 3 * 4096 + 333);
    private static final Path DIR;
    private static final byte[] VALID;
    private static final DataFileSummary SUMMARY;

    static {
        try {
            DIR = Files.createTempDirectory("tidemark-mutation");
            DIR.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path p = DIR.resolve("valid");
        SUMMARY = DataFiles.write(p, CONTENT, HEADER, SMALL_BLOCKS);
        VALID = DataFiles.bytes(p);
    }

    @Property(tries = 400)
    void anyMutationIsRefusedOrHarmless(@ForAll("mutations") byte[] mutated) {
        check(mutated, false);
    }

    @Property(tries = 200)
    void anyMutationIsRefusedOrHarmlessWithMetadataChecks(@ForAll("mutations") byte[] mutated) {
        check(mutated, true);
    }

    private static void check(byte[] mutated, boolean withMetadata) {
        Path p = DIR.resolve("m-" + Thread.currentThread().getId());
        DataFiles.put(p, mutated);
        try {
            byte[] read = withMetadata
                    ? DataFiles.readAll(p, HEADER, SUMMARY.length(), SUMMARY.crc32c())
                    : DataFiles.readAll(p, HEADER, -1, 0);
            assertThat(read).isEqualTo(CONTENT);
            assertThat(mutated).isEqualTo(VALID);
        } catch (CorruptCheckpointException e) {
            assertThat(e.file()).isEqualTo(p.toString());
            assertThat(e.offset()).isBetween(0L, (long) Math.max(VALID.length, mutated.length));
        }
    }

    @Provide
    Arbitrary<byte[]> mutations() {
        int n = VALID.length;
        return Combinators.combine(
                        Arbitraries.integers().between(0, 4),
                        Arbitraries.integers().between(0, n - 1),
                        Arbitraries.integers().between(1, 255),
                        Arbitraries.longs())
                .as((mode, pos, x, seed) -> mutate(mode, pos, x, seed));
    }

    private static byte[] mutate(int mode, int pos, int x, long seed) {
        Random r = new Random(seed);
        byte[] b = VALID.clone();
        switch (mode) {
            case 0: // one bit or byte flip
                b[pos] ^= (byte) x;
                return b;
            case 1: // several random flips
                for (int i = 0; i < 1 + r.nextInt(8); i++) {
                    b[r.nextInt(b.length)] ^= (byte) (1 + r.nextInt(255));
                }
                return b;
            case 2: // truncation
                return Arrays.copyOf(b, pos);
            case 3: // trailing junk
                byte[] junk = new byte[1 + r.nextInt(64)];
                r.nextBytes(junk);
                byte[] longer = Arrays.copyOf(b, b.length + junk.length);
                System.arraycopy(junk, 0, longer, b.length, junk.length);
                return longer;
            default: // a run of random bytes overwritten
                int len = Math.min(b.length - pos, 1 + r.nextInt(32));
                byte[] run = new byte[len];
                r.nextBytes(run);
                System.arraycopy(run, 0, b, pos, len);
                return b;
        }
    }
}
