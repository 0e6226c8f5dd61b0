package io.tidemark.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.SerializationException;
import io.tidemark.serialization.SampleValues.Inner;
import io.tidemark.serialization.SampleValues.Side;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

/** The type-driven factory, copies, and the contracts around nulls and thread-safety. */
class SerializersTest {

    record Holder(List<Map<String, Inner>> nested, Set<String> unsupported, Optional<String> optional, short small) {}

    record Node(long value, Node next) {}

    record Wrapper(List<Node> nodes) {}

    record Mutable(List<byte[]> chunks, Map<String, List<Long>> index, Inner inner) {}

    record Immutable(long id, String name, Side side, Inner inner) {}

    record Empty() {}

    @Test
    void scalarsAndTheirBoxesShareSerializers() {
        assertThat(Serializers.of(long.class)).isSameAs(LongSerializer.INSTANCE);
        assertThat(Serializers.of(Long.class)).isSameAs(LongSerializer.INSTANCE);
        assertThat(Serializers.of(int.class)).isSameAs(IntSerializer.INSTANCE);
        assertThat(Serializers.of(Integer.class)).isSameAs(IntSerializer.INSTANCE);
        assertThat(Serializers.of(double.class)).isSameAs(DoubleSerializer.INSTANCE);
        assertThat(Serializers.of(Double.class)).isSameAs(DoubleSerializer.INSTANCE);
        assertThat(Serializers.of(boolean.class)).isSameAs(BooleanSerializer.INSTANCE);
        assertThat(Serializers.of(Boolean.class)).isSameAs(BooleanSerializer.INSTANCE);
        assertThat(Serializers.of(String.class)).isSameAs(StringSerializer.INSTANCE);
        assertThat(Serializers.of(byte[].class)).isSameAs(BytesSerializer.INSTANCE);
        assertThat(Serializers.of(Side.class)).isInstanceOf(EnumSerializer.class);
        assertThat(Serializers.of(Inner.class)).isInstanceOf(RecordSerializer.class);
    }

    @Test
    void parameterizedListsAndMapsNest() {
        StateSerializer<?> serializer = Serializers.forType(componentType(Holder.class, 0));

        assertThat(serializer.snapshot().describe())
                .isEqualTo("list<map<string, record " + Inner.class.getName() + "(id: long, label: string, side: enum "
                        + Side.class.getName() + "{BUY, SELL, HOLD})>>");
    }

    @Test
    void unsupportedTypesAreNamed() {
        assertThatThrownBy(() -> Serializers.forType(componentType(Holder.class, 1)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("type=java.util.Set<java.lang.String>");
        assertThatThrownBy(() -> Serializers.forType(componentType(Holder.class, 2)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("type=java.util.Optional<java.lang.String>");
        assertThatThrownBy(() -> Serializers.of(short.class))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("type=short");
        assertThatThrownBy(() -> Serializers.of(Object.class))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("type=java.lang.Object");
        assertThatThrownBy(() -> Serializers.of(List.class))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("raw collection type");
    }

    @Test
    void unsupportedRecordComponentNamesRecordAndComponent() {
        assertThatThrownBy(() -> Serializers.of(Holder.class))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("record=" + Holder.class.getName())
                .hasMessageContaining("component=unsupported")
                .hasMessageContaining("type=java.util.Set<java.lang.String>");
    }

    @Test
    void recursiveRecordsAreRefused() {
        assertThatThrownBy(() -> Serializers.of(Wrapper.class))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("recursive record type not supported: type=" + Node.class.getName());
        assertThatThrownBy(() -> new RecordSerializer<>(Node.class))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("recursive");
    }

    @Test
    void copyIsDeepForMutableTypes() {
        RecordSerializer<Mutable> serializer = new RecordSerializer<>(Mutable.class);
        List<byte[]> chunks = new ArrayList<>(List.of(new byte[] {1, 2}));
        Mutable value = new Mutable(chunks, Map.of("k", new ArrayList<>(List.of(1L))), null);

        Mutable copy = serializer.copy(value);

        assertThat(copy).usingRecursiveComparison().isEqualTo(value);
        assertThat(copy.chunks()).isNotSameAs(chunks);
        assertThat(copy.chunks().get(0)).isNotSameAs(chunks.get(0)).isEqualTo(new byte[] {1, 2});
        assertThat(copy.index().get("k")).isNotSameAs(value.index().get("k"));
        byte[] bytes = {9};
        assertThat(BytesSerializer.INSTANCE.copy(bytes)).isNotSameAs(bytes).isEqualTo(bytes);
    }

    @Test
    void copyOfImmutableRecordIsTheValue() {
        Immutable value = new Immutable(1L, "a", Side.BUY, new Inner(2L, "b", Side.SELL));

        assertThat(Serializers.of(Immutable.class).copy(value)).isSameAs(value);
    }

    @Test
    void nullListElementsAndMapEntriesAreRefusedOnWrite() {
        List<String> withNull = new ArrayList<>();
        withNull.add(null);
        ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(16);

        assertThatThrownBy(() -> new ListSerializer<>(StringSerializer.INSTANCE).write(withNull, buffer, 0))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("index=0");
        Map<String, String> nullValue = new java.util.HashMap<>();
        nullValue.put("k", null);
        assertThatThrownBy(() -> new MapSerializer<>(StringSerializer.INSTANCE, StringSerializer.INSTANCE)
                        .write(nullValue, buffer, 0))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void listsWithoutRandomAccessAreWrittenInOrder() {
        java.util.LinkedList<String> linked = new java.util.LinkedList<>(List.of("a", "bb", "ccc"));

        SerializerRoundTripTest.assertRoundTrip(new ListSerializer<>(StringSerializer.INSTANCE), linked, 1, false);
    }

    @Test
    void emptyRecordsAreVariableLengthSoListsOfThemFrame() {
        StateSerializer<Empty> serializer = Serializers.of(Empty.class);
        assertThat(serializer.fixedLength()).isEqualTo(StateSerializer.VARIABLE_LENGTH);

        ListSerializer<Empty> list = new ListSerializer<>(serializer);
        SerializerRoundTripTest.assertRoundTrip(list, List.of(new Empty(), new Empty()), 3, false);
    }

    @Test
    void customComponentSerializersArePluggedInByPosition() {
        RecordSerializer<Immutable> serializer = new RecordSerializer<>(
                Immutable.class,
                List.of(
                        LongSerializer.INSTANCE,
                        StringSerializer.INSTANCE,
                        new EnumSerializer<>(Side.class),
                        Serializers.of(Inner.class)));
        SerializerRoundTripTest.assertRoundTrip(
                serializer, new Immutable(1L, "x", Side.HOLD, new Inner(2L, null, null)), 0, false);

        assertThatThrownBy(() -> new RecordSerializer<>(Immutable.class, List.of(LongSerializer.INSTANCE)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("components=4, serializers=1");
    }

    @Test
    void builtInsAreStatelessAndShareable() {
        StateSerializer<?> record = Serializers.of(Immutable.class);
        assertThat(record.isStateless()).isTrue();
        assertThat(record.duplicate()).isSameAs(record);
        ListSerializer<Long> list = new ListSerializer<>(LongSerializer.INSTANCE);
        assertThat(list.duplicate()).isSameAs(list);
    }

    private static Type componentType(Class<? extends Record> type, int index) {
        return type.getRecordComponents()[index].getGenericType();
    }
}
