package io.tidemark.pipeline.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.serialization.BooleanSerializer;
import io.tidemark.serialization.EnumSerializer;
import io.tidemark.serialization.IntSerializer;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.serialization.Serializers;
import io.tidemark.serialization.StringSerializer;
import java.time.DayOfWeek;
import org.junit.jupiter.api.Test;

/** The key's string form parsed through the key serializer; what does not parse names the key and its type. */
class KeyParserTest {
    record Pair(long a, long b) {}

    @Test
    void parsesEachKeyTypeFromItsStringForm() {
        assertThat(KeyParser.parse("AAPL", StringSerializer.INSTANCE)).isEqualTo("AAPL");
        assertThat(KeyParser.parse("-42", LongSerializer.INSTANCE)).isEqualTo(-42L);
        assertThat(KeyParser.parse("7", IntSerializer.INSTANCE)).isEqualTo(7);
        assertThat(KeyParser.parse("true", BooleanSerializer.INSTANCE)).isEqualTo(true);
        assertThat(KeyParser.parse("MONDAY", new EnumSerializer<>(DayOfWeek.class)))
                .isEqualTo(DayOfWeek.MONDAY);
    }

    @Test
    void aKeyThatDoesNotParseNamesTheKeyAndItsType() {
        assertThatThrownBy(() -> KeyParser.parse("12x", LongSerializer.INSTANCE))
                .isInstanceOf(KeyParser.BadKeyException.class)
                .hasMessageContaining("key=12x")
                .hasMessageContaining("keyType=long");
        assertThatThrownBy(() -> KeyParser.parse("yes", BooleanSerializer.INSTANCE))
                .hasMessageContaining("keyType=boolean");
        assertThatThrownBy(() -> KeyParser.parse("FUNDAY", new EnumSerializer<>(DayOfWeek.class)))
                .hasMessageContaining("key=FUNDAY");
        assertThatThrownBy(() -> KeyParser.parse("1,2", Serializers.of(Pair.class)))
                .isInstanceOf(KeyParser.BadKeyException.class)
                .hasMessageContaining("no string form");
    }
}
