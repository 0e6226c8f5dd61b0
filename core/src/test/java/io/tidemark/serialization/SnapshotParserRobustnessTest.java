package io.tidemark.serialization;

import io.tidemark.SerializationException;
import io.tidemark.serialization.SampleValues.Outer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * A corrupted snapshot fails to read with an {@link IOException} (truncation) or a {@link SerializationException}
 * (unknown class, kind, version or an implausible count), never with anything else and never with an allocation sized
 * by a corrupt count.
 */
class SnapshotParserRobustnessTest {
    private static final byte[] SNAPSHOT = snapshotBytes();

    @Property(tries = 1000)
    void corruptedSnapshotsFailCleanly(
            @ForAll @Size(min = 1, max = 3) List<@IntRange(min = 0, max = 100_000) Integer> positions,
            @ForAll @Size(min = 3, max = 3) List<Byte> replacements,
            @ForAll @IntRange(min = 0, max = 100_000) int cut) {
        byte[] bytes = SNAPSHOT.clone();
        for (int i = 0; i < positions.size(); i++) {
            bytes[positions.get(i) % bytes.length] = replacements.get(i);
        }
        int length = cut % 4 == 0 ? bytes.length : cut % bytes.length;
        try {
            SerializerSnapshot<Object> snapshot = SerializerSnapshots.read(
                    new DataInputStream(new ByteArrayInputStream(bytes, 0, length)),
                    getClass().getClassLoader());
            snapshot.describe();
        } catch (IOException | SerializationException expected) {
            // the only acceptable failures
        }
    }

    private static byte[] snapshotBytes() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            SerializerSnapshots.write(Serializers.of(Outer.class).snapshot(), new DataOutputStream(bytes));
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
