package io.tidemark.keygroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.ConfigurationException;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.serialization.RecordSerializer;
import io.tidemark.serialization.StringSerializer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** I3: which key types have a hash that is the same in every JVM, and which are refused. */
class StableKeyHashTest {
    enum Side {
        BUY,
        SELL {
            @Override
            public String toString() {
                return "sell";
            }
        }
    }

    record Symbol(String venue, long id) {}

    record Order(String symbol, Side side) {}

    record Nested(Symbol symbol, Order order) {}

    record Holder(List<String> names, Object any, CharSequence text) {}

    static final class Plain {}

    static final class Valued {
        @Override
        public boolean equals(Object other) {
            return other instanceof Valued;
        }

        @Override
        public int hashCode() {
            return 1;
        }
    }

    @Test
    void contentHashedTypesPass() {
        for (Class<?> type :
                List.of(String.class, Long.class, long.class, Double.class, Symbol.class, Valued.class, Holder.class)) {
            assertThat(StableKeyHash.unstableReason(type)).as(type.getName()).isNull();
        }
        StableKeyHash.checkKeySerializer(StringSerializer.INSTANCE, "test");
        StableKeyHash.checkKeySerializer(LongSerializer.INSTANCE, "test");
        StableKeyHash.checkKeySerializer(new RecordSerializer<>(Symbol.class), "test");
    }

    @Test
    void enumsArraysAndIdentityHashedClassesAreRefused() {
        assertThat(StableKeyHash.unstableReason(Side.class)).contains("enum");
        assertThat(StableKeyHash.unstableReason(Side.SELL.getClass())).contains("enum");
        assertThat(StableKeyHash.unstableReason(byte[].class)).contains("array");
        assertThat(StableKeyHash.unstableReason(String[].class)).contains("array");
        assertThat(StableKeyHash.unstableReason(Plain.class)).contains("does not override hashCode");
        assertThat(StableKeyHash.unstableReason(Nested.class))
                .contains("record component 'order'")
                .contains("record component 'side'")
                .contains("enum");
    }

    @Test
    void refusalNamesTypeReasonAndUser() {
        assertThatThrownBy(() -> StableKeyHash.checkKeySerializer(new RecordSerializer<>(Order.class), "op=stats"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("keyType=" + Order.class.getTypeName())
                .hasMessageContaining("record component 'side'")
                .hasMessageContaining("where=op=stats");
        assertThatThrownBy(() -> StableKeyHash.checkKeyClass(Plain.class, "op=stats"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("identity hashCode");
    }
}
