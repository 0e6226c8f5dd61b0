package io.tidemark.backend;

import io.tidemark.serialization.SchemaCompatibility;
import io.tidemark.serialization.SerializerSnapshot;
import io.tidemark.serialization.StateSerializer;
import java.io.DataInput;
import java.io.DataOutput;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/** Serializes {@link VoidNamespace} in zero bytes. */
public final class VoidNamespaceSerializer implements StateSerializer<VoidNamespace> {
    public static final VoidNamespaceSerializer INSTANCE = new VoidNamespaceSerializer();

    private VoidNamespaceSerializer() {}

    @Override
    public int fixedLength() {
        return 0;
    }

    @Override
    public int write(VoidNamespace value, MutableDirectBuffer buffer, int offset) {
        return 0;
    }

    @Override
    public VoidNamespace read(DirectBuffer buffer, int offset, int length) {
        return VoidNamespace.INSTANCE;
    }

    @Override
    public SerializerSnapshot<VoidNamespace> snapshot() {
        return new Snapshot();
    }

    /** Snapshot of {@link VoidNamespaceSerializer}: no content. */
    public static final class Snapshot implements SerializerSnapshot<VoidNamespace> {
        @Override
        public int currentVersion() {
            return 1;
        }

        @Override
        public void writeSnapshot(DataOutput out) {}

        @Override
        public void readSnapshot(int readVersion, DataInput in, ClassLoader classLoader) {}

        @Override
        public StateSerializer<VoidNamespace> restoreSerializer() {
            return INSTANCE;
        }

        @Override
        public SchemaCompatibility resolveCompatibility(StateSerializer<VoidNamespace> newSerializer) {
            return newSerializer instanceof VoidNamespaceSerializer
                    ? SchemaCompatibility.compatibleAsIs()
                    : SchemaCompatibility.incompatible("namespace changed from void to "
                            + newSerializer.snapshot().describe());
        }

        @Override
        public String describe() {
            return "void";
        }
    }
}
