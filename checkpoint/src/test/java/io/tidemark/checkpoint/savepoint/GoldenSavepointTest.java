package io.tidemark.checkpoint.savepoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.checkpoint.format.CompressionConfig;
import io.tidemark.checkpoint.fs.CheckpointFileSystem;
import io.tidemark.checkpoint.fs.NioCheckpointFileSystem;
import io.tidemark.checkpoint.offline.CheckpointInspector;
import io.tidemark.checkpoint.storage.CompletedCheckpoint;
import io.tidemark.checkpoint.testing.JobFixture;
import io.tidemark.checkpoint.testing.JobFixture.Backend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * R2: the golden savepoints of every {@code _metadata} format version, committed under {@code
 * src/test/resources/golden/savepoint-vN/}, restore in every build on every backend at several parallelisms, with the
 * values of the {@link JobFixture} oracle. Version 1 has an operator-state data file per subtask; version 2 keeps that
 * operator state inline in {@code _metadata}.
 *
 * <p>Generator: {@code mvn verify -pl checkpoint -Dtest=GoldenSavepointTest -Dtidemark.regenerateGolden=true} rewrites
 * the directory of the current version from the heap backend ({@value #PARALLELISM} subtasks, {@value #MAX_PARALLELISM} key groups, {@value
 * #KEYS} keys). Regenerate only for a new format version, into a new {@code savepoint-vN} directory: the files of a
 * released version never change, they are the proof that version still restores.
 */
class GoldenSavepointTest {
    /** The directory of the current format version, the one the generator writes. */
    static final String VERSION_DIRECTORY = "savepoint-v2";

    static final int MAX_PARALLELISM = 16;
    static final int PARALLELISM = 2;
    static final int KEYS = 60;

    @TempDir
    Path tmp;

    final CheckpointFileSystem fs = NioCheckpointFileSystem.INSTANCE;

    @ParameterizedTest
    @ValueSource(strings = {"savepoint-v1", VERSION_DIRECTORY})
    void goldenSavepointRestoresOnEveryBackendAtEveryParallelism(String version) throws Exception {
        if (Boolean.getBoolean("tidemark.regenerateGolden") && version.equals(VERSION_DIRECTORY)) {
            regenerate(Path.of("src/test/resources/golden", VERSION_DIRECTORY));
        }
        Path copy = tmp.resolve("golden");
        copyTree(golden(version), copy); // restore from a copy: the golden files are never touched
        CompletedCheckpoint savepoint = Savepoints.load(fs, copy);
        for (Backend backend : Backend.values()) {
            try (JobFixture job = new JobFixture(backend, tmp.resolve("work-" + backend), MAX_PARALLELISM)) {
                for (int p : new int[] {1, PARALLELISM, 5, MAX_PARALLELISM}) {
                    var restored = job.restore(fs, savepoint, p);
                    job.assertKeyedState(restored, KEYS);
                    JobFixture.assertOperatorState(restored, PARALLELISM);
                }
            }
        }
        String report = CheckpointInspector.describe(copy);
        assertThat(report)
                .contains("savepoint 1 ")
                .contains("operator counter: parallelism=2, maxParallelism=16")
                .contains("keyed value: VALUE")
                .contains("operator source-offsets: UNION");
        if (!version.equals("savepoint-v1")) {
            assertThat(report).contains("files: 2,").contains("inline streams: 2,");
        }
    }

    static Path golden(String version) throws Exception {
        var url = GoldenSavepointTest.class.getResource("/golden/" + version + "/_metadata");
        assertThat(url).as("golden savepoint on the test class path").isNotNull();
        return Path.of(url.toURI()).getParent();
    }

    private void regenerate(Path target) throws Exception {
        deleteTree(target);
        Files.createDirectories(target.getParent());
        try (JobFixture job = new JobFixture(Backend.HEAP, tmp.resolve("gen"), MAX_PARALLELISM)) {
            var subtasks = job.create(PARALLELISM);
            job.populate(subtasks, KEYS);
            Savepoints.write(fs, target, 1, CompressionConfig.DEFAULT, job.savepointInputs(subtasks));
        }
        // the build reads test resources from target/test-classes: refresh that copy too
        Path built = Path.of("target/test-classes/golden", VERSION_DIRECTORY);
        deleteTree(built);
        copyTree(target, built);
        System.out.println("GoldenSavepointTest: regenerated " + target.toAbsolutePath());
    }

    static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(f.getFileName().toString()));
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
