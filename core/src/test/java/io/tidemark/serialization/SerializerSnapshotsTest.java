package io.tidemark.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.SerializationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class SerializerSnapshotsTest {
    static volatile boolean initialised;

    /** Not a snapshot; its static initialiser must never run because a snapshot named it. */
    static final class Bystander {
        static {
            initialised = true;
        }
    }

    @Test
    void aClassThatIsNotASnapshotIsRefusedWithoutBeingInitialised() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(Bystander.class.getName());
            out.writeInt(1);
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        assertThatThrownBy(() -> SerializerSnapshots.read(in, getClass().getClassLoader()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("is not a SerializerSnapshot")
                .hasMessageContaining(Bystander.class.getName());
        assertThat(initialised).isFalse();
    }
}
