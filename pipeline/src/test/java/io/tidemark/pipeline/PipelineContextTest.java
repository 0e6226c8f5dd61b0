package io.tidemark.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.ConfigurationException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PipelineContextTest {
    private static final Path STATE = Path.of("state");

    @Test
    void concludeFillsTheCheckpointDirectoryAndFreezesTheContext() {
        PipelineContext context = new PipelineContext().stateDirectory(STATE).conclude();
        assertThat(context.checkpointDirectory()).isEqualTo(STATE.resolve("checkpoints"));
        assertThat(context.isConcluded()).isTrue();
        assertThat(context.conclude()).isSameAs(context);
        assertThatThrownBy(() -> context.ringSize(8))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("concluded");
    }

    @Test
    void errorsNameTheSettingItsValueAndWhatIsAllowed() {
        assertRefused(new PipelineContext(), "stateDirectory is required: stateDirectory=null");
        assertRefused(context().ringSize(3), "ringSize out of range: ringSize=3, allowed=a power of two >= 2");
        assertRefused(
                context().defaultParallelism(9).maxParallelism(8), "parallelism=9, allowed=[1, maxParallelism=8]");
        assertRefused(context().memoryBytes(1000), "memoryBytes out of range: memoryBytes=1000, allowed=[1 MiB");
        assertRefused(
                context().checkpointing(CheckpointSettings.defaults().withInterval(Duration.ofMillis(5))),
                "checkpoint interval out of range: interval=PT0.005S, allowed=>= 10ms");
        assertRefused(context().backend("rocksdb"), "backend unknown: backend=rocksdb, allowed=");
    }

    @Test
    void aRefusedContextStaysMutable() {
        PipelineContext context = context().ringSize(3);
        assertThatThrownBy(context::conclude).isInstanceOf(ConfigurationException.class);
        assertThat(context.ringSize(4).conclude().ringSize()).isEqualTo(4);
    }

    private static PipelineContext context() {
        return new PipelineContext().stateDirectory(STATE);
    }

    private static void assertRefused(PipelineContext context, String message) {
        assertThatThrownBy(context::conclude)
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(message);
    }
}
