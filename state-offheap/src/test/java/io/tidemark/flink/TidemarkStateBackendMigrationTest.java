package io.tidemark.flink;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.state.CheckpointStorage;
import org.apache.flink.runtime.state.StateBackendMigrationTestBase;
import org.apache.flink.runtime.state.storage.FileSystemCheckpointStorage;
import org.apache.flink.runtime.state.storage.JobManagerCheckpointStorage;
import org.apache.flink.testutils.junit.extensions.parameterized.Parameter;
import org.apache.flink.testutils.junit.extensions.parameterized.ParameterizedTestExtension;
import org.apache.flink.testutils.junit.extensions.parameterized.Parameters;
import org.apache.flink.util.function.SupplierWithException;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Flink's serializer-upgrade suite ({@code StateBackendMigrationTestBase} from the flink-runtime 2.3.0 test jar)
 * against {@link TidemarkStateBackend}: state migration, serializer reconfiguration and the refusals of incompatible
 * serializers, with checkpoints in the job manager's memory and in files.
 */
@ExtendWith(ParameterizedTestExtension.class)
class TidemarkStateBackendMigrationTest extends StateBackendMigrationTestBase<TidemarkStateBackend> {
    @Parameter
    public SupplierWithException<CheckpointStorage, IOException> storage;

    @Parameters(name = "storage={0}")
    public static List<Object> storages() {
        return Arrays.asList(
                (SupplierWithException<CheckpointStorage, IOException>) JobManagerCheckpointStorage::new,
                (SupplierWithException<CheckpointStorage, IOException>) () -> new FileSystemCheckpointStorage(
                        new Path(java.nio.file.Files.createTempDirectory("tidemark-flink-migration")
                                .toUri()),
                        0,
                        -1));
    }

    @Override
    protected TidemarkStateBackend getStateBackend() {
        return new TidemarkStateBackend().withMemoryBudget(MemorySize.ofMebiBytes(4));
    }

    @Override
    protected CheckpointStorage getCheckpointStorage() throws IOException {
        return storage.get();
    }
}
