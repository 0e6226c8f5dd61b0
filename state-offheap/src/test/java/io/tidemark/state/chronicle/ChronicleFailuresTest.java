package io.tidemark.state.chronicle;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.StateSizeException;
import io.tidemark.StorageIOException;
import io.tidemark.StorageSpaceException;
import io.tidemark.TidemarkException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ChronicleFailuresTest {
    private static final Path FILE = Path.of("/state/chronicle-op-kg0-127/000-counter.cm3");

    private static TidemarkException translate(Throwable failure) {
        return ChronicleFailures.translate(failure, "put", "counter", FILE, 12);
    }

    @Test
    void fullMapIsAStateSizeError() {
        TidemarkException e = translate(
                new IllegalStateException(
                        "ChronicleMap{name=counter}: Attempt to allocate #2 extra segment tier, 1 is maximum.\nPossible reasons"));
        assertThat(e).isInstanceOf(StateSizeException.class);
        assertThat(e.getMessage())
                .contains("state=counter")
                .contains("file=" + FILE)
                .contains("entries=12")
                .doesNotContain("Possible reasons");
    }

    @Test
    void oversizeEntryIsAStateSizeError() {
        assertThat(translate(
                        new IllegalArgumentException("Entry is too large: requires 262145 chunks, 6813 is maximum.")))
                .isInstanceOf(StateSizeException.class)
                .hasMessageContaining("entry too large");
    }

    @Test
    void diskFullIsAStorageSpaceError() {
        assertThat(translate(new UncheckedIOException(new IOException("No space left on device"))))
                .isInstanceOf(StorageSpaceException.class)
                .hasMessageContaining("state=counter")
                .hasMessageContaining(FILE.toString());
        assertThat(translate(new InternalError("a fault occurred in an unsafe memory access operation")))
                .isInstanceOf(StorageSpaceException.class);
    }

    @Test
    void otherIoIsAStorageIoError() {
        assertThat(translate(new UncheckedIOException(new IOException("Input/output error"))))
                .isInstanceOf(StorageIOException.class)
                .hasMessageContaining("operation=put")
                .hasMessageContaining(FILE.toString());
    }
}
