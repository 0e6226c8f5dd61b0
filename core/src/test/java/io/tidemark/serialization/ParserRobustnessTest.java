package io.tidemark.serialization;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.SerializationException;
import io.tidemark.serialization.SampleValues.Inner;
import io.tidemark.serialization.SampleValues.Outer;
import io.tidemark.serialization.SampleValues.Point;
import io.tidemark.serialization.SampleValues.Side;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * {@code read} of any bytes, at any offset and length, either returns a value or throws {@link SerializationException}:
 * never an {@code IndexOutOfBoundsException}, a {@code NegativeArraySizeException} or an allocation sized by a
 * corrupt count. Random bytes rarely get past the first count, so corrupted valid encodings are tried as well.
 */
class ParserRobustnessTest {

    record TradeV1(long price, int qty, String venue, Side side) {}

    record TradeV2(String venue, long price, List<Inner> legs) {}

    record NotesV1(String note, long price, List<String> tags, Side side) {}

    record NotesV2(long price) {}

    @Property(tries = 2000)
    void arbitraryBytesDecodeOrFailCleanly(
            @ForAll("serializers") StateSerializer<?> serializer,
            @ForAll @Size(max = 48) byte[] bytes,
            @ForAll @IntRange(min = -4, max = 52) int offset,
            @ForAll @IntRange(min = -4, max = 52) int length) {
        assertReadsOrRefuses(serializer, new UnsafeBuffer(bytes), offset, length);
    }

    @Property(tries = 1000)
    void corruptedEncodingsDecodeOrFailCleanly(
            @ForAll("outers") Outer value,
            @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0, max = 10_000) Integer> positions,
            @ForAll @Size(min = 4, max = 4) List<Byte> replacements,
            @ForAll @IntRange(min = -8, max = 8) int lengthDelta) {
        StateSerializer<Outer> serializer = Serializers.of(Outer.class);
        ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
        int written = serializer.write(value, buffer, 0);
        for (int i = 0; i < positions.size(); i++) {
            buffer.putByte(positions.get(i) % Math.max(1, written), replacements.get(i));
        }
        assertReadsOrRefuses(serializer, buffer, 0, Math.max(0, written + lengthDelta));
    }

    @Property(tries = 300)
    void truncatedRecordEncodingsAreRefused(
            @ForAll("outers") Outer value, @ForAll @IntRange(min = 1, max = 10_000) int cut) {
        StateSerializer<Outer> serializer = Serializers.of(Outer.class);
        ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
        int written = serializer.write(value, buffer, 0);
        int shorter = written - 1 - (cut % written);
        assertThatThrownBy(() -> serializer.read(buffer, 0, shorter)).isInstanceOf(SerializationException.class);
    }

    private static void assertReadsOrRefuses(
            StateSerializer<?> serializer, org.agrona.DirectBuffer buffer, int offset, int length) {
        try {
            serializer.read(buffer, offset, length);
        } catch (SerializationException expected) {
            // the only acceptable failure
        }
    }

    @Provide
    Arbitrary<StateSerializer<?>> serializers() {
        StateSerializer<TradeV2> current = Serializers.of(TradeV2.class);
        SerializerSnapshot<TradeV2> old = cast(Serializers.of(TradeV1.class).snapshot());
        old.resolveCompatibility(current);
        SerializerSnapshot<NotesV2> notes = cast(Serializers.of(NotesV1.class).snapshot());
        notes.resolveCompatibility(Serializers.of(NotesV2.class));
        return Arbitraries.of(
                LongSerializer.INSTANCE,
                IntSerializer.INSTANCE,
                DoubleSerializer.INSTANCE,
                BooleanSerializer.INSTANCE,
                StringSerializer.INSTANCE,
                BytesSerializer.INSTANCE,
                new EnumSerializer<>(Side.class),
                Serializers.of(Point.class),
                Serializers.of(Inner.class),
                Serializers.of(Outer.class),
                new ListSerializer<>(LongSerializer.INSTANCE),
                new ListSerializer<>(StringSerializer.INSTANCE),
                new ListSerializer<>(Serializers.of(Point.class)),
                new MapSerializer<>(StringSerializer.INSTANCE, IntSerializer.INSTANCE),
                new MapSerializer<>(BytesSerializer.INSTANCE, new ListSerializer<>(BooleanSerializer.INSTANCE)),
                old.restoreSerializer(),
                notes.restoreSerializer());
    }

    @Provide
    Arbitrary<Outer> outers() {
        return SampleValues.outers();
    }

    @SuppressWarnings("unchecked")
    private static <T> SerializerSnapshot<T> cast(SerializerSnapshot<?> snapshot) {
        return (SerializerSnapshot<T>) snapshot;
    }
}
