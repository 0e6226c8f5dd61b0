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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * R2: the golden savepoint of format version 1, committed under {@code src/test/resources/golden/savepoint-v1/}, restores
 * in every build on every backend at several parallelisms, with the values of the {@link JobFixture} oracle.
 *
 * <p>Generator: {@code mvn verify -pl checkpoint -Dtest=GoldenSavepointTest -Dtidemark.regenerateGolden=true} rewrites
 * the directory from the heap backend ({@value #PARALLELISM} subtasks, {@value #MAX_PARALLELISM} key groups, {@value
 * #KEYS} keys). Regenerate only for a new format version, into a new {@code savepoint-vN} directory: the files of a
 * released version never change, they are the proof that version still restores.
 */
class GoldenSavepointTest {
    static final String VERSION_DIRECTORY = "savepoint-v1";
    static final int MAX_PARALLELISM = 16;
    static final int PARALLELISM = 2;
    static final int KEYS = 60;

    @TempDir
    Path tmp;

    final CheckpointFileSystem fs = NioCheckpointFileSystem.INSTANCE;

    @Test
    void goldenSavepointRestoresOnEveryBackendAtEveryParallelism() throws Exception {
        if (Boolean.getBoolean("tidemark.regenerateGolden")) {
            regenerate(Path.of("src/test/resources/golden", VERSION_DIRECTORY));
        }
        Path copy = tmp.resolve("golden");
        copyTree(golden(), copy); // restore from a copy: the golden files are never touched
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
    }

    static Path golden() throws Exception {
        var url = GoldenSavepointTest.class.getResource("/golden/" + VERSION_DIRECTORY + "/_metadata");
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
