package io.tidemark.jmh.state;

import io.tidemark.jmh.backend.BackendRegistry;
import io.tidemark.jmh.backend.BenchmarkBackend;
import io.tidemark.jmh.keys.KeySequence;
import io.tidemark.jmh.keys.KeySpace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every keyed-state benchmark shares: the key space, the pre-generated key sequence, the backend and its
 * scratch directory. One backend per fork, loaded once per trial; each operation draws the next key index.
 *
 * <p>The JVM flags Chronicle needs are appended to the fork by {@link io.tidemark.jmh.BenchmarkLauncher}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public abstract class KeyedStateBenchmark {
    /** Fixed so that every fork, backend and run draws the same key sequence. */
    private static final long SEED = 42L;

    /** Distinct keys loaded before measuring. Presets: 100000 (quick), 1000000, 10000000. */
    @Param({"100000"})
    public int keyCount;

    @Param({"uniform", "zipf"})
    public String keyDistribution;

    private KeySpace keySpace;
    private KeySequence keySequence;
    private Path workDir;
    private BenchmarkBackend backend;

    /** Opens the named backend over {@code keyCount} keys; call first in the subclass's {@code @Setup}. */
    protected final BenchmarkBackend openBackend(String name) throws Exception {
        keySpace = new KeySpace(keyCount);
        keySequence = KeySequence.of(keyDistribution, keySpace, SEED);
        workDir = Files.createTempDirectory("tidemark-jmh-" + name + '-');
        backend = BackendRegistry.open(name, keySpace, workDir);
        return backend;
    }

    /** The key space of the opened backend; its key arrays are the ones every adapter reads. */
    protected final KeySpace keySpace() {
        return keySpace;
    }

    protected final int nextKey() {
        return keySequence.next();
    }

    @TearDown
    public void closeBackend() throws Exception {
        try {
            if (backend != null) {
                backend.close();
            }
        } finally {
            // Flink's RocksDB backend deletes its own directory on dispose
            if (workDir != null && Files.exists(workDir)) {
                deleteRecursively(workDir);
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
