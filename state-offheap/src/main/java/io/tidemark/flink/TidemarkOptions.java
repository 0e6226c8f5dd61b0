package io.tidemark.flink;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;

/** The Flink configuration options of {@link TidemarkStateBackend}. */
public final class TidemarkOptions {
    /** Off-heap memory each keyed backend (one per keyed operator instance) may keep resident; the rest spills. */
    public static final ConfigOption<MemorySize> MEMORY_BUDGET = ConfigOptions.key(
                    "state.backend.tidemark.memory-budget")
            .memoryType()
            .defaultValue(MemorySize.ofMebiBytes(64))
            .withDescription("Off-heap memory one keyed backend (one keyed operator instance) keeps resident: its"
                    + " pages and hash index. Pages beyond it are written to the working directory and read back"
                    + " on access.");

    /** Where the keyed backends put their spill files; empty: the task manager's temporary directories. */
    public static final ConfigOption<String> WORKING_DIRECTORY = ConfigOptions.key(
                    "state.backend.tidemark.working-directory")
            .stringType()
            .noDefaultValue()
            .withDescription("Directory for the keyed backends' spill files (a sub-directory per backend, deleted"
                    + " when the backend is disposed). Default: the task manager's temporary directories.");

    /** Page size of the store; a key, namespace and user key together must fit in half a page. */
    public static final ConfigOption<MemorySize> PAGE_SIZE = ConfigOptions.key("state.backend.tidemark.page-size")
            .memoryType()
            .defaultValue(MemorySize.parse("16kb"))
            .withDescription("Page size of the off-heap store, a power of two from 4 KiB to 1 MiB. A serialized key"
                    + " with its namespace and map user key must fit in half a page.");

    /** Largest serialized key with its namespace, and largest serialized map user key, in bytes. */
    public static final ConfigOption<Integer> MAX_KEY_BYTES = ConfigOptions.key("state.backend.tidemark.max-key-bytes")
            .intType()
            .defaultValue(4096)
            .withDescription("Largest serialized key together with its namespace, and largest serialized map user key,"
                    + " in bytes: at most half a page minus 40 bytes. A larger one fails the state access, naming"
                    + " both sizes.");

    private TidemarkOptions() {}
}
