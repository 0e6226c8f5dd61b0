package io.tidemark.serialization;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The persisted description of a serializer's format, written into every snapshot beside the state it describes. On
 * restore the snapshot written by the old serializer is asked about the new one ({@link #resolveCompatibility}) and
 * provides a reader for the old bytes ({@link #restoreSerializer()}) when migration is needed.
 *
 * <p>Implementations need a public no-argument constructor: {@link SerializerSnapshots#read} instantiates the class
 * named in the snapshot and then calls {@link #readSnapshot}. Cold path; may allocate.
 *
 * @param <T> the type of values of the described serializer
 */
public interface SerializerSnapshot<T> {
    /** The version of this snapshot's own written form; bumped when {@link #writeSnapshot} changes. */
    int currentVersion();

    /** Writes the snapshot content (without class name and version, which the caller writes). */
    void writeSnapshot(DataOutput out) throws IOException;

    /** Reads content written by {@link #writeSnapshot} at {@code readVersion}. */
    void readSnapshot(int readVersion, DataInput in, ClassLoader classLoader) throws IOException;

    /** A serializer that reads the bytes the described (old) serializer wrote. */
    StateSerializer<T> restoreSerializer();

    /** How {@code newSerializer} relates to the format described here. */
    SchemaCompatibility resolveCompatibility(StateSerializer<T> newSerializer);

    /** A short human description of the schema, used in error messages, e.g. {@code "record Trade(price: long)"}. */
    String describe();
}
