package io.tidemark.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.ConfigurationException;
import io.tidemark.pipeline.checkpoint.StateDirectoryLock;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirectoryLockTest {
    @TempDir
    Path dir;

    @Test
    void secondEngineInTheSameProcessFailsFast() {
        StateDirectoryLock first = StateDirectoryLock.acquire(dir);
        try {
            assertThatThrownBy(() -> StateDirectoryLock.acquire(dir))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("in use");
        } finally {
            first.close();
        }
        StateDirectoryLock.acquire(dir).close();
    }
}
