package io.tidemark.checkpoint.offline;

import io.tidemark.backend.canonical.CanonicalFormat;
import io.tidemark.backend.canonical.CanonicalSnapshotReader;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.OperatorStateHandle;
import io.tidemark.backend.snapshot.SnapshotReader;
import io.tidemark.backend.snapshot.StateMetaInfo;
import io.tidemark.checkpoint.job.StateDescription;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link StateDescription} listing a snapshot stores for inspection, from the headers of the streams just
 * written: canonical keyed streams and operator-state streams. Native keyed formats list names only (their serializers
 * are the backend's business). Stateless; any thread; reads the stream headers.
 */
public final class StateListings {
    private StateListings() {}

    /** Keyed states of canonical handles (deduplicated by name), or the given names for native handles. */
    public static List<StateDescription> keyed(
            List<KeyedStateHandle> handles, List<String> nativeNames, SnapshotReader reader) {
        Map<String, StateDescription> states = new LinkedHashMap<>();
        for (KeyedStateHandle h : handles) {
            if (!CanonicalFormat.FORMAT_NAME.equals(h.format())) {
                for (String name : nativeNames) {
                    states.putIfAbsent(
                            name, new StateDescription(name, StateDescription.KEYED, "native:" + h.format(), ""));
                }
                continue;
            }
            CanonicalSnapshotReader.Header header = CanonicalSnapshotReader.readHeader(h, reader, loader());
            for (StateMetaInfo m : header.states()) {
                states.putIfAbsent(m.name(), describe(m, header));
            }
        }
        return new ArrayList<>(states.values());
    }

    /** Operator states of the handles (deduplicated by name). */
    public static List<StateDescription> operator(List<OperatorStateHandle> handles, SnapshotReader reader) {
        Map<String, StateDescription> states = new LinkedHashMap<>();
        for (OperatorStateHandle h : handles) {
            for (OperatorStateStream.State s : OperatorStateStream.read(h, reader, loader())) {
                String serializers = s.second() == null
                        ? "element=" + s.first().describe()
                        : "key=" + s.first().describe() + ", value="
                                + s.second().describe();
                states.putIfAbsent(
                        s.name(),
                        new StateDescription(
                                s.name(), StateDescription.OPERATOR, s.mode().name(), serializers));
            }
        }
        return new ArrayList<>(states.values());
    }

    static StateDescription describe(StateMetaInfo m, CanonicalSnapshotReader.Header header) {
        String serializers = "key=" + header.keySerializer().describe() + ", namespace="
                + m.namespaceSerializer().describe() + ", value="
                + m.valueSerializer().describe();
        String type = m.type().name() + (m.ttl() ? "+TTL" : "");
        return new StateDescription(m.name(), StateDescription.KEYED, type, serializers);
    }

    static ClassLoader loader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : StateListings.class.getClassLoader();
    }
}
