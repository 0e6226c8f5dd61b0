package io.tidemark.checkpoint.format;

import static io.tidemark.checkpoint.format.DataFiles.HEADER;
import static io.tidemark.checkpoint.format.DataFiles.SMALL_BLOCKS;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.checkpoint.fs.NioCheckpointFileSystem;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DataFileRoundTripTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4095, 4096, 4097, 3 * 4096, 50_000})
    void roundTripsAnyLength(int length) throws Exception {
        byte[] content = DataFiles.data(new Random(length), length);
        Path p = dir.resolve("f");
        DataFileSummary s = DataFiles.write(p, content, HEADER, SMALL_BLOCKS);

        assertThat(s.length()).isEqualTo(Files.size(p));
        assertThat(s.uncompressedLength()).isEqualTo(length);
        CRC32C crc = new CRC32C();
        crc.update(Files.readAllBytes(p));
        assertThat(s.crc32c()).isEqualTo((int) crc.getValue());
        assertThat(DataFiles.readAll(p, HEADER, s.length(), s.crc32c())).isEqualTo(content);
    }

    @Test
    void byteAndBufferWritesAndSeek() throws Exception {
        byte[] content = DataFiles.data(new Random(1), 20_000);
        Path p = dir.resolve("f");
        DataFileSummary s;
        try (DataFileWriter w = DataFileWriter.create(NioCheckpointFileSystem.INSTANCE, p, HEADER, SMALL_BLOCKS)) {
            for (int i = 0; i < 5000; i++) {
                w.write(content[i]);
            }
            w.write(ByteBuffer.wrap(content, 5000, 10_000));
            w.write(content, 15_000, 5000);
            assertThat(w.position()).isEqualTo(20_000);
            s = w.finish();
        }
        try (DataFileReader r = DataFileReader.open(NioCheckpointFileSystem.INSTANCE, p, HEADER);
                DataFileInputStream in = r.openStream()) {
            assertThat(r.uncompressedLength()).isEqualTo(20_000);
            assertThat(r.header()).isEqualTo(HEADER);
            for (long pos : new long[] {12_345, 0, 4096, 19_999, 8191}) {
                in.seek(pos);
                assertThat(in.read()).isEqualTo(content[(int) pos] & 0xFF);
                assertThat(in.position()).isEqualTo(pos + 1);
            }
            in.seek(20_000);
            assertThat(in.read()).isEqualTo(-1);
            in.seek(10_000);
            byte[] rest = in.readAllBytes();
            assertThat(rest).isEqualTo(Arrays.copyOfRange(content, 10_000, 20_000));
        }
        assertThat(s.length()).isPositive();
    }
}
