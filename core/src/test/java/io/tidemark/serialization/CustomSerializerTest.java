package io.tidemark.serialization;

import static io.tidemark.serialization.Evolution.persisted;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.SerializationException;
import java.io.DataInput;
import java.io.DataOutput;
import java.math.BigDecimal;
import java.nio.ByteOrder;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.Test;

/** The custom serializer example of docs/serialization.md, kept compiling and working. */
class CustomSerializerTest {

    public static final class CentsSerializer implements StateSerializer<BigDecimal> {
        public static final CentsSerializer INSTANCE = new CentsSerializer();

        @Override
        public int fixedLength() {
            return Long.BYTES;
        }

        @Override
        public int write(BigDecimal value, MutableDirectBuffer buffer, int offset) {
            buffer.putLong(offset, value.movePointRight(2).longValueExact(), ByteOrder.LITTLE_ENDIAN);
            return Long.BYTES;
        }

        @Override
        public BigDecimal read(DirectBuffer buffer, int offset, int length) {
            if (length != Long.BYTES || offset < 0 || (long) offset + length > buffer.capacity()) {
                throw new SerializationException(
                        "cents: wrong length or region: offset=" + offset + ", length=" + length);
            }
            return BigDecimal.valueOf(buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN), 2);
        }

        @Override
        public SerializerSnapshot<BigDecimal> snapshot() {
            return new CentsSnapshot();
        }
    }

    public static final class CentsSnapshot implements SerializerSnapshot<BigDecimal> {
        public CentsSnapshot() {}

        @Override
        public int currentVersion() {
            return 1;
        }

        @Override
        public void writeSnapshot(DataOutput out) {}

        @Override
        public void readSnapshot(int readVersion, DataInput in, ClassLoader classLoader) {}

        @Override
        public StateSerializer<BigDecimal> restoreSerializer() {
            return CentsSerializer.INSTANCE;
        }

        @Override
        public String describe() {
            return "cents";
        }

        @Override
        public SchemaCompatibility resolveCompatibility(StateSerializer<BigDecimal> newSerializer) {
            return newSerializer.snapshot() instanceof CentsSnapshot
                    ? SchemaCompatibility.compatibleAsIs()
                    : SchemaCompatibility.incompatible(
                            "changed type: cents -> " + newSerializer.snapshot().describe());
        }
    }

    record Quote(String symbol, BigDecimal bid) {}

    @Test
    void customComponentRoundTripsAndItsSnapshotResolves() {
        RecordSerializer<Quote> serializer =
                new RecordSerializer<>(Quote.class, List.of(StringSerializer.INSTANCE, CentsSerializer.INSTANCE));

        SerializerRoundTripTest.assertRoundTrip(serializer, new Quote("ACME", new BigDecimal("12.34")), 5, false);
        SerializerRoundTripTest.assertRoundTrip(serializer, new Quote("ACME", null), 0, true);
        SerializerSnapshot<Quote> old = persisted(serializer.snapshot());
        assertThat(old.resolveCompatibility(serializer).isCompatibleAsIs()).isTrue();
        assertThat(old.describe()).isEqualTo("record " + Quote.class.getName() + "(symbol: string, bid: cents)");
    }
}
