package io.tidemark.jmh.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.ConfigurationException;
import io.tidemark.pipeline.IdleMode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatencyOptionsTest {
    @Test
    void defaults() {
        LatencyOptions options = LatencyOptions.parse(new String[0]);

        assertThat(options.job()).isEqualTo("counter");
        assertThat(options.rates()).containsExactly(100_000L, 1_000_000L, LatencyOptions.SUSTAINED);
        assertThat(options.checkpoints()).containsExactly(Duration.ofSeconds(1));
        assertThat(options.keys()).isEqualTo(1_000_000L);
        assertThat(options.backend()).isEqualTo("offheap");
        assertThat(options.idle()).isEqualTo(IdleMode.BACKOFF);
        assertThat(options.workers()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(options.parallelism()).isEqualTo(options.workers());
        assertThat(options.sources()).isEqualTo(options.parallelism());
    }

    @Test
    void ratesAndCheckpointIntervals() {
        LatencyOptions options =
                LatencyOptions.parse(new String[] {"rates=100k,2M,max,sustained", "checkpoints=1s,500ms,none"});

        assertThat(options.rates()).containsExactly(100_000L, 2_000_000L, LatencyOptions.MAX, LatencyOptions.SUSTAINED);
        assertThat(options.checkpoints())
                .containsExactly(Duration.ofSeconds(1), Duration.ofMillis(500), LatencyOptions.NO_CHECKPOINTS);
    }

    @Test
    void refusesWhatItCannotRun() {
        assertThatThrownBy(() -> LatencyOptions.parse(new String[] {"rates=0"}))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("rate=0");
        assertThatThrownBy(() -> LatencyOptions.parse(new String[] {"rates=-5"}))
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> LatencyOptions.parse(new String[] {"checkpoints=5ms"}))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("checkpoints=5ms");
        assertThatThrownBy(() -> LatencyOptions.parse(new String[] {"job=market-stats", "rates=sustained"}))
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> LatencyOptions.parse(new String[] {"rates=100M", "seconds=100"}))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("run too long for its rate");
        assertThatThrownBy(() -> LatencyOptions.parse(new String[] {"idle=sleep"}))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("idle=sleep");
        assertThatThrownBy(() -> LatencyOptions.parse(new String[] {"sources=0"}))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("sources=0");
    }
}
