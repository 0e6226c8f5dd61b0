package io.tidemark.serialization;

import static io.tidemark.serialization.Evolution.decode;
import static io.tidemark.serialization.Evolution.encode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.SerializationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exact bytes of each built-in, as docs/serialization.md describes them. All multi-byte numbers little-endian. */
class ByteFormatTest {

    enum Side {
        BUY,
        SELL
    }

    record Trade(long price, String venue, Side side) {}

    @Test
    void scalars() {
        assertThat(encode(LongSerializer.INSTANCE, 0x0102030405060708L)).containsExactly(8, 7, 6, 5, 4, 3, 2, 1);
        assertThat(encode(IntSerializer.INSTANCE, 0x01020304)).containsExactly(4, 3, 2, 1);
        assertThat(encode(DoubleSerializer.INSTANCE, 1.0)).containsExactly(0, 0, 0, 0, 0, 0, 0xF0, 0x3F);
        assertThat(encode(BooleanSerializer.INSTANCE, true)).containsExactly(1);
        assertThat(encode(StringSerializer.INSTANCE, "é€")).containsExactly(0xC3, 0xA9, 0xE2, 0x82, 0xAC);
        assertThat(encode(BytesSerializer.INSTANCE, new byte[] {7, 8})).containsExactly(7, 8);
        assertThat(encode(new EnumSerializer<>(Side.class), Side.SELL)).containsExactly(1, 0, 0, 0);
    }

    @Test
    void listOfFixedElementsIsBareListOfVariableElementsIsPrefixed() {
        assertThat(encode(new ListSerializer<>(IntSerializer.INSTANCE), List.of(1, 2)))
                .containsExactly(2, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0);
        assertThat(encode(new ListSerializer<>(StringSerializer.INSTANCE), List.of("ab", "")))
                .containsExactly(2, 0, 0, 0, 2, 0, 0, 0, 'a', 'b', 0, 0, 0, 0);
    }

    @Test
    void mapIsCountThenKeyValuePairs() {
        Map<String, Boolean> map = new LinkedHashMap<>();
        map.put("x", true);
        assertThat(encode(new MapSerializer<>(StringSerializer.INSTANCE, BooleanSerializer.INSTANCE), map))
                .containsExactly(1, 0, 0, 0, 1, 0, 0, 0, 'x', 1);
    }

    @Test
    void recordFieldsInOrderWithPresenceBytesForObjects() {
        StateSerializer<Trade> serializer = Serializers.of(Trade.class);

        assertThat(encode(serializer, new Trade(5L, "L", Side.SELL)))
                .containsExactly(5, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 'L', 1, 1, 0, 0, 0);
        assertThat(encode(serializer, new Trade(5L, null, null))).containsExactly(5, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void corruptBytesNameTheSerializer() {
        assertThatThrownBy(() -> decode(BooleanSerializer.INSTANCE, new byte[] {2}))
                .isInstanceOf(SerializationException.class)
                .hasMessage("boolean: invalid byte: value=2, expected=0 or 1");
        assertThatThrownBy(() -> decode(new EnumSerializer<>(Side.class), new byte[] {2, 0, 0, 0}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("ordinal out of range: ordinal=2, constants=2");
        assertThatThrownBy(() -> decode(LongSerializer.INSTANCE, new byte[4]))
                .isInstanceOf(SerializationException.class)
                .hasMessage("long: wrong length: length=4, expected=8");
        assertThatThrownBy(() -> decode(new ListSerializer<>(LongSerializer.INSTANCE), new byte[] {-1, -1, -1, 127}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("list: invalid element count: count=2147483647");
    }
}
