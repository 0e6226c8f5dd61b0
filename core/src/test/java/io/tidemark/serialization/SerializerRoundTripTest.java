package io.tidemark.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.serialization.SampleValues.Inner;
import io.tidemark.serialization.SampleValues.Outer;
import io.tidemark.serialization.SampleValues.Point;
import io.tidemark.serialization.SampleValues.Side;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Every built-in reads back what it wrote, at any offset inside a larger buffer (heap or direct) with unrelated bytes
 * after the value, and writes exactly its fixed length when it has one. jqwik prints the seed of a failing run; re-run
 * it with {@code @Property(seed = "...")}.
 */
class SerializerRoundTripTest {

    private static final StateSerializer<Outer> OUTER = Serializers.of(Outer.class);

    @Property(tries = 200)
    void longs(@ForAll long value, @ForAll("offsets") int offset, @ForAll boolean direct) {
        assertRoundTrip(LongSerializer.INSTANCE, value, offset, direct);
    }

    @Property(tries = 200)
    void ints(@ForAll int value, @ForAll("offsets") int offset, @ForAll boolean direct) {
        assertRoundTrip(IntSerializer.INSTANCE, value, offset, direct);
    }

    @Property(tries = 200)
    void doubles(@ForAll double value, @ForAll("offsets") int offset, @ForAll boolean direct) {
        assertRoundTrip(DoubleSerializer.INSTANCE, value, offset, direct);
    }

    @Property(tries = 20)
    void booleans(@ForAll boolean value, @ForAll("offsets") int offset, @ForAll boolean direct) {
        assertRoundTrip(BooleanSerializer.INSTANCE, value, offset, direct);
    }

    @Property(tries = 300)
    void strings(@ForAll("strings") String value, @ForAll("offsets") int offset, @ForAll boolean direct) {
        assertRoundTrip(StringSerializer.INSTANCE, value, offset, direct);
    }

    /** Even for unpaired surrogates, the bytes are exactly what the JDK's UTF-8 encoder produces. */
    @Property(tries = 300)
    void stringBytesMatchJdkUtf8(@ForAll String value, @ForAll("offsets") int offset) {
        ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(offset + 1);
        int written = StringSerializer.INSTANCE.write(value, buffer, offset);
        byte[] actual = new byte[written];
        buffer.getBytes(offset, actual);
        assertThat(actual).isEqualTo(value.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 200)
    void bytes(@ForAll byte[] value, @ForAll("offsets") int offset, @ForAll boolean direct) {
        assertRoundTrip(BytesSerializer.INSTANCE, value, offset, direct);
    }

    @Property(tries = 50)
    void enums(@ForAll Side value, @ForAll("offsets") int offset, @ForAll boolean direct) {
        assertRoundTrip(new EnumSerializer<>(Side.class), value, offset, direct);
    }

    @Property(tries = 200)
    void fixedLengthRecords(@ForAll("points") Point value, @ForAll("offsets") int offset, @ForAll boolean direct) {
        StateSerializer<Point> serializer = Serializers.of(Point.class);
        assertThat(serializer.fixedLength()).isEqualTo(8 + 4 + 8 + 1);
        assertRoundTrip(serializer, value, offset, direct);
    }

    @Property(tries = 300)
    void nestedRecordsWithNulls(@ForAll("outers") Outer value, @ForAll("offsets") int offset, @ForAll boolean direct) {
        assertRoundTrip(OUTER, value, offset, direct);
    }

    @Property(tries = 100)
    void listsOfRecords(@ForAll("outerLists") List<Outer> value, @ForAll("offsets") int offset) {
        assertRoundTrip(new ListSerializer<>(OUTER), value, offset, false);
    }

    @Property(tries = 100)
    void listsOfFixedLengthRecords(@ForAll("pointLists") List<Point> value, @ForAll("offsets") int offset) {
        ListSerializer<Point> serializer = new ListSerializer<>(Serializers.of(Point.class));
        int written = assertRoundTrip(serializer, value, offset, true);
        assertThat(written).isEqualTo(4 + 21 * value.size());
    }

    @Property(tries = 100)
    void mapsOfRecords(@ForAll("innerMaps") Map<Side, Inner> value, @ForAll("offsets") int offset) {
        assertRoundTrip(
                new MapSerializer<>(new EnumSerializer<>(Side.class), Serializers.of(Inner.class)),
                value,
                offset,
                false);
    }

    @Property(tries = 100)
    void copiesAreEqualAndDeep(@ForAll("outers") Outer value) {
        Outer copy = OUTER.copy(value);
        assertThat(copy).usingRecursiveComparison().isEqualTo(value);
        if (value.inners() != null) {
            assertThat(copy.inners()).isNotSameAs(value.inners());
        }
        if (value.blob() != null) {
            assertThat(copy.blob()).isNotSameAs(value.blob());
        }
    }

    /** Writes at {@code offset} with garbage after the value, reads back, returns the bytes written. */
    static <T> int assertRoundTrip(StateSerializer<T> serializer, T value, int offset, boolean direct) {
        MutableDirectBuffer buffer = direct ? new ExpandableDirectByteBuffer(8) : new ExpandableArrayBuffer(8);
        buffer.setMemory(0, offset, (byte) 0x5A);
        int written = serializer.write(value, buffer, offset);
        buffer.setMemory(offset + written, 16, (byte) 0xA5);
        if (serializer.fixedLength() != StateSerializer.VARIABLE_LENGTH) {
            assertThat(written).isEqualTo(serializer.fixedLength());
        }
        T read = serializer.read(buffer, offset, written);
        assertThat(read).usingRecursiveComparison().isEqualTo(value);
        T copy = serializer.copy(value);
        assertThat(copy).usingRecursiveComparison().isEqualTo(value);
        return written;
    }

    @Provide
    Arbitrary<Integer> offsets() {
        return Arbitraries.integers().between(0, 100);
    }

    @Provide
    Arbitrary<String> strings() {
        return SampleValues.strings();
    }

    @Provide
    Arbitrary<Point> points() {
        return SampleValues.points();
    }

    @Provide
    Arbitrary<Outer> outers() {
        return SampleValues.outers();
    }

    @Provide
    Arbitrary<List<Outer>> outerLists() {
        return SampleValues.outers().list().ofMaxSize(4);
    }

    @Provide
    Arbitrary<List<Point>> pointLists() {
        return SampleValues.points().list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<Map<Side, Inner>> innerMaps() {
        return Arbitraries.maps(Arbitraries.of(Side.class), SampleValues.inners())
                .ofMaxSize(3);
    }
}
