package io.tidemark.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.ConfigurationException;
import io.tidemark.pipeline.connectors.ErrorPolicy;
import io.tidemark.pipeline.marketstats.MarketStatsInput;
import io.tidemark.pipeline.marketstats.MarketStatsSource;
import io.tidemark.pipeline.marketstats.Trade;
import io.tidemark.serialization.BytesSerializer;
import io.tidemark.serialization.EnumSerializer;
import io.tidemark.serialization.RecordSerializer;
import io.tidemark.serialization.StringSerializer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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

    record Order(String symbol, Side side) {}

    record Instrument(String venue, String symbol) {}

    @TempDir
    Path dir;

    private DataStream<Trade> trades() {
        MarketStatsInput input = MarketStatsInput.parse("gen:10");
        return new Pipeline(new PipelineContext().stateDirectory(dir))
                .source("trades", () -> new MarketStatsSource(input, dir, 0, ErrorPolicy.FAIL), 1);
    }

    @Test
    void enumKeyIsRefusedAtKeyBy() {
        assertThatThrownBy(() -> trades().keyBy(t -> Side.BUY, new EnumSerializer<>(Side.class)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("keyType=" + Side.class.getTypeName())
                .hasMessageContaining("enum")
                .hasMessageContaining("keyBy after trades");
    }

    @Test
    void arrayKeyIsRefusedAtKeyBy() {
        assertThatThrownBy(() ->
                        trades().keyBy(t -> t.symbol().getBytes(StandardCharsets.UTF_8), BytesSerializer.INSTANCE))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("keyType=byte[]")
                .hasMessageContaining("array");
    }

    @Test
    void recordKeyHoldingAnEnumIsRefusedAtKeyBy() {
        assertThatThrownBy(() ->
                        trades().keyBy(t -> new Order(t.symbol(), Side.SELL), new RecordSerializer<>(Order.class)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("record component 'side'");
    }

    @Test
    void contentHashedKeysAreAccepted() {
        assertThat(trades().keyBy(Trade::symbol, StringSerializer.INSTANCE)).isNotNull();
        assertThat(trades().keyBy(t -> new Instrument("X", t.symbol()), new RecordSerializer<>(Instrument.class)))
                .isNotNull();
    }
}
