package io.tidemark.pipeline.runtime;

import io.tidemark.ConfigurationException;
import io.tidemark.backend.StateBackend;
import io.tidemark.backend.heap.HeapStateBackend;
import io.tidemark.state.offheap.OffHeapBackendContext;
import io.tidemark.state.offheap.OffHeapStateBackend;
import java.util.Map;

/**
 * Resolves a state backend by its configuration name. Backends of other modules are looked up by class name so they
 * plug in as soon as they are on the class path: {@code offheap} ({@code io.tidemark.state.offheap.OffHeapStateBackend})
 * and {@code chronicle} ({@code io.tidemark.state.chronicle.ChronicleStateBackend}), each with a public no-argument
 * constructor.
 */
public final class BackendRegistry {
    private static final Map<String, String> CLASSES = Map.of(
            "offheap", "io.tidemark.state.offheap.OffHeapStateBackend",
            "chronicle", "io.tidemark.state.chronicle.ChronicleStateBackend");

    private BackendRegistry() {}

    /** True when {@code name} resolves in this build. */
    public static boolean isAvailable(String name) {
        if (HeapStateBackend.NAME.equals(name)) {
            return true;
        }
        String cls = CLASSES.get(name);
        if (cls == null) {
            return false;
        }
        try {
            Class.forName(cls);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * @param memoryBytes the resident budget of file-backed backends (off-heap: mapped bytes per instance)
     * @throws ConfigurationException naming the backend if it is unknown or not in this build
     */
    public static StateBackend resolve(String name, long memoryBytes) {
        if (HeapStateBackend.NAME.equals(name)) {
            return new HeapStateBackend();
        }
        if (OffHeapStateBackend.NAME.equals(name)) {
            return new OffHeapStateBackend(new OffHeapBackendContext().residentBudget(memoryBytes));
        }
        String cls = CLASSES.get(name);
        if (cls == null) {
            throw new ConfigurationException(
                    "unknown state backend: backend=" + name + ", allowed=offheap, heap, chronicle");
        }
        try {
            return (StateBackend) Class.forName(cls).getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new ConfigurationException(
                    "state backend not available in this build: backend=" + name + ", class=" + cls + " (" + e
                            + "); use --backend heap",
                    e);
        }
    }
}
