package io.tidemark.backend;

import io.tidemark.ConfigurationException;
import java.util.ServiceLoader;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Creates a {@link StateBackend} chosen by its configuration name. Each backend module registers its factories in
 * {@code META-INF/services/io.tidemark.backend.StateBackendFactory} (core: {@code heap}; state-offheap:
 * {@code offheap}, {@code chronicle}); {@link #create(String, long)} finds them with {@link ServiceLoader}, so a
 * backend plugs in as soon as its jar is on the class path.
 *
 * <p>Implementations are stateless, thread-safe and have a public no-argument constructor. Control plane: lookup and
 * creation allocate freely.
 */
public interface StateBackendFactory {
    /** The configuration name of the backends it creates, e.g. {@code heap}; equal to their {@code name()}. */
    String name();

    /**
     * Creates a backend.
     *
     * @param memoryBytes the resident memory budget of each keyed backend instance of file-backed backends (off-heap:
     *     mapped bytes); backends that keep state elsewhere ignore it
     */
    StateBackend create(long memoryBytes);

    /**
     * The factory registered under {@code name} on the class path of this interface's class loader, or {@code null}.
     */
    static StateBackendFactory find(String name) {
        for (StateBackendFactory f : registered()) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }

    /** The names of the backends registered on the class path, sorted. */
    static SortedSet<String> names() {
        TreeSet<String> names = new TreeSet<>();
        for (StateBackendFactory f : registered()) {
            names.add(f.name());
        }
        return names;
    }

    /**
     * Creates the backend registered under {@code name}.
     *
     * @param memoryBytes see {@link #create(long)}
     * @throws ConfigurationException naming the backend and the known names if none is registered under {@code name}
     */
    static StateBackend create(String name, long memoryBytes) {
        StateBackendFactory factory = find(name);
        if (factory == null) {
            throw new ConfigurationException(
                    "unknown state backend: backend=" + name + ", allowed=" + String.join(", ", names()));
        }
        return factory.create(memoryBytes);
    }

    private static ServiceLoader<StateBackendFactory> registered() {
        return ServiceLoader.load(StateBackendFactory.class, StateBackendFactory.class.getClassLoader());
    }
}
