package io.tidemark.jmh.backend;

import io.tidemark.ConfigurationException;
import java.io.IOException;

/**
 * One keyed-state implementation under test, chosen by the benchmarks' {@code backend} parameter.
 *
 * <p>An adapter opens the kinds of state it can hold; the defaults refuse with a {@link ConfigurationException} that
 * names the backend and the state, so a backend that has no list or map state is skipped with a clear reason instead
 * of being emulated. Keys are indexes into the {@link io.tidemark.jmh.keys.KeySpace} the adapter was opened with.
 *
 * <p>Single threaded: the JMH thread that opened it uses it and closes it.
 */
public interface BenchmarkBackend extends AutoCloseable {
    String name();

    default LongValueState longValueState() {
        throw unsupported("value state with 8-byte values");
    }

    /** A long value state addressed by primitive {@code long} keys (no key objects anywhere). */
    default PrimitiveLongValueState primitiveLongValueState() {
        throw unsupported("value state with 8-byte values and primitive keys");
    }

    default BytesValueState bytesValueState(int valueSize) {
        throw unsupported("value state with " + valueSize + "-byte values");
    }

    default LongListState longListState() {
        throw unsupported("list state");
    }

    /** @param userKeyCount user keys are indexes in {@code [0, userKeyCount)} */
    default LongMapState longMapState(int userKeyCount) {
        throw unsupported("map state");
    }

    /** Called once after the initial load, before measuring: a place to flush or compact. */
    default void loaded() throws Exception {}

    @Override
    void close() throws IOException;

    private ConfigurationException unsupported(String state) {
        return new ConfigurationException(
                "backend does not support this state: backend=" + name() + ", state=" + state);
    }
}
