package io.tidemark.flink;

import java.io.File;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.state.CheckpointStorage;
import org.apache.flink.runtime.state.ConfigurableStateBackend;
import org.apache.flink.runtime.state.StateBackendTestBase;
import org.apache.flink.runtime.state.storage.FileSystemCheckpointStorage;
import org.apache.flink.runtime.state.storage.JobManagerCheckpointStorage;
import org.apache.flink.testutils.junit.extensions.parameterized.Parameter;
import org.apache.flink.testutils.junit.extensions.parameterized.ParameterizedTestExtension;
import org.apache.flink.testutils.junit.extensions.parameterized.Parameters;
import org.apache.flink.util.function.SupplierWithException;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flink's own keyed and operator backend suite ({@code StateBackendTestBase} from the flink-runtime 2.3.0 test jar)
 * against {@link TidemarkStateBackend}, with checkpoints in the job manager's memory and in files. Tests the backend
 * cannot pass are disabled here by name with the reason, and listed in docs/flink.md.
 */
@ExtendWith(ParameterizedTestExtension.class)
class TidemarkStateBackendTest extends StateBackendTestBase<TidemarkStateBackend> {
    @TempDir
    private static File checkpoints;

    @Parameter
    public SupplierWithException<CheckpointStorage, IOException> storage;

    @Parameters(name = "storage={0}")
    public static List<SupplierWithException<CheckpointStorage, IOException>> storages() {
        return Arrays.asList(
                JobManagerCheckpointStorage::new,
                () -> new FileSystemCheckpointStorage(new Path(checkpoints.toURI()), 0, -1));
    }

    @Override
    protected ConfigurableStateBackend getStateBackend() {
        return new TidemarkStateBackend().withMemoryBudget(MemorySize.ofMebiBytes(4));
    }

    @Override
    protected CheckpointStorage getCheckpointStorage() throws IOException {
        return storage.get();
    }

    @Override
    protected boolean isSerializerPresenceRequiredOnRestore() {
        return false;
    }

    @Override
    protected boolean supportsAsynchronousSnapshots() {
        return true;
    }

    @Override
    protected boolean isSafeToReuseKVState() {
        return true;
    }
}
