package io.tidemark.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.ConfigurationException;
import io.tidemark.backend.OperatorStateStore;
import io.tidemark.serialization.BytesSerializer;
import io.tidemark.serialization.EnumSerializer;
import io.tidemark.serialization.IntSerializer;
import io.tidemark.serialization.RecordSerializer;
import io.tidemark.serialization.StringSerializer;
import io.tidemark.state.ListState;
import io.tidemark.state.ListStateDescriptor;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * I3: {@code keyBy} refuses key types whose hash is not the same in every JVM (their keys would move to other key
 * groups after a restart, and their state with them out of reach), and accepts content-hashed ones.
 */
class KeyByStableHashTest {
    enum Side {
        BUY,
        SELL
    }

    record Order(String symbol, Side side, byte[] tag) {}

    record Instrument(String venue, String symbol) {}

    /** Emits {@code count} orders alternating sides; its offset is operator state. */
    static final class Orders implements SourceFunction<Order> {
        private final int count;
        private ListState<Integer> offset;
        private int next;

        Orders(int count) {
            this.count = count;
        }

        @Override
        public void initializeState(OperatorStateStore store, boolean restored) {
            offset = store.getListState(new ListStateDescriptor<>("offset", IntSerializer.INSTANCE));
            for (Integer o : offset.get()) {
                next = o;
            }
        }

        @Override
        public void snapshotState(long checkpointId) {
            offset.update(List.of(next));
        }

        @Override
        public boolean emitNext(SourceContext<Order> ctx) {
            if (next == count) {
                return false;
            }
            Side side = next % 2 == 0 ? Side.BUY : Side.SELL;
            ctx.collect(new Order("S" + next % 5, side, new byte[] {(byte) next}), next);
            next++;
            return true;
        }
    }

    @TempDir
    Path dir;

    private DataStream<Order> orders() {
        return new Pipeline(PipelineConfig.defaults(dir)).source("orders", () -> new Orders(10), 1);
    }

    @Test
    void enumKeyIsRefusedAtKeyBy() {
        assertThatThrownBy(() -> orders().keyBy(Order::side, new EnumSerializer<>(Side.class)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("keyType=" + Side.class.getTypeName())
                .hasMessageContaining("enum")
                .hasMessageContaining("keyBy after orders");
    }

    @Test
    void arrayKeyIsRefusedAtKeyBy() {
        assertThatThrownBy(() -> orders().keyBy(Order::tag, BytesSerializer.INSTANCE))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("keyType=byte[]")
                .hasMessageContaining("array");
    }

    @Test
    void recordKeyHoldingAnEnumIsRefusedAtKeyBy() {
        assertThatThrownBy(() -> orders().keyBy(o -> o, new RecordSerializer<>(Order.class)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("record component 'side'");
    }

    @Test
    void contentHashedKeysAreAccepted() {
        assertThat(orders().keyBy(Order::symbol, StringSerializer.INSTANCE)).isNotNull();
        assertThat(orders().keyBy(o -> new Instrument("X", o.symbol()), new RecordSerializer<>(Instrument.class)))
                .isNotNull();
    }
}
