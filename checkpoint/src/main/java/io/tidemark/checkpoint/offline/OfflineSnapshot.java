package io.tidemark.checkpoint.offline;

import io.tidemark.ConfigurationException;
import io.tidemark.CorruptCheckpointException;
import io.tidemark.backend.canonical.CanonicalFormat;
import io.tidemark.backend.canonical.CanonicalSnapshotReader;
import io.tidemark.backend.canonical.KeyGroupOffsets;
import io.tidemark.backend.snapshot.InMemorySnapshotStorage;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.NativeSnapshotConverter;
import io.tidemark.backend.snapshot.OperatorStateHandle;
import io.tidemark.backend.snapshot.SnapshotReader;
import io.tidemark.backend.snapshot.StateMetaInfo;
import io.tidemark.backend.snapshot.StreamHandle;
import io.tidemark.checkpoint.format.FileReference;
import io.tidemark.checkpoint.format.InlineStream;
import io.tidemark.checkpoint.fs.CheckpointFileSystem;
import io.tidemark.checkpoint.fs.NioCheckpointFileSystem;
import io.tidemark.checkpoint.job.JobSnapshot;
import io.tidemark.checkpoint.job.OperatorSnapshot;
import io.tidemark.checkpoint.job.StateDescription;
import io.tidemark.checkpoint.job.SubtaskState;
import io.tidemark.checkpoint.storage.CheckpointSnapshotReader;
import io.tidemark.checkpoint.storage.CheckpointStorage;
import io.tidemark.checkpoint.storage.CompletedCheckpoint;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.serialization.StateSerializer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A checkpoint or savepoint opened offline, read-only: its operators, states, key groups and sizes, and the key/values
 * of keyed state (raw, or decoded through the restore serializers of the serializer snapshots stored in the stream).
 * Canonical keyed state is read as stored; a backend's native keyed state (the {@code offheap} backend's incremental
 * checkpoints) is first converted to canonical entries by the {@link NativeSnapshotConverter} the backend registers,
 * the same verified conversion its restore uses, held in memory while this object lives. Every stream is verified
 * (length, CRC32C, header, blocks) before a byte of it is used. The basis of {@code tidemark inspect} ({@link
 * CheckpointInspector}) and {@link SavepointTransform}.
 *
 * <p>Not thread-safe (conversions are cached on first use). Allocates freely: an offline tool.
 */
public final class OfflineSnapshot {
    /** Receives raw entries: the serialized key, namespace and value, as stored. Arrays are fresh per entry. */
    public interface RawEntryVisitor {
        void entry(int keyGroup, byte[] key, byte[] namespace, byte[] value);
    }

    /** Receives decoded entries. */
    public interface EntryVisitor {
        void entry(int keyGroup, Object key, Object namespace, Object value);
    }

    /**
     * Stored bytes of one key group (canonical state), or of one handle's whole range (native formats, whose layout is
     * the backend's).
     */
    public record KeyGroupSpan(String operatorId, int subtaskIndex, String format, KeyGroupRange range, long bytes) {}

    private final CheckpointFileSystem fs;
    private final CompletedCheckpoint checkpoint;
    private final JobSnapshot job;
    private final CheckpointSnapshotReader reader;
    private final InMemorySnapshotStorage converted = new InMemorySnapshotStorage();
    private final Map<KeyedStateHandle, KeyedStateHandle> canonical = new IdentityHashMap<>();
    private final SnapshotReader streams;

    private OfflineSnapshot(CheckpointFileSystem fs, CompletedCheckpoint checkpoint) {
        this.fs = fs;
        this.checkpoint = checkpoint;
        this.job = JobSnapshot.of(checkpoint);
        this.reader = new CheckpointSnapshotReader(fs, checkpoint);
        this.streams = (stream, position) -> stream.name().startsWith(CONVERTED_PREFIX)
                ? converted.open(stream, position)
                : reader.open(stream, position);
    }

    private static final String CONVERTED_PREFIX = "offline-converted/";

    /**
     * Opens a checkpoint ({@code chk-N}) or savepoint directory, its {@code _metadata}, or a checkpoint root (its newest
     * checkpoint) on the local file system.
     */
    public static OfflineSnapshot open(Path directory) {
        return open(NioCheckpointFileSystem.INSTANCE, directory);
    }

    /** @throws CorruptCheckpointException if {@code _metadata} is missing, corrupt or not a job snapshot */
    public static OfflineSnapshot open(CheckpointFileSystem fs, Path directory) {
        return new OfflineSnapshot(fs, CheckpointStorage.locateReadOnly(fs, directory));
    }

    public CompletedCheckpoint checkpoint() {
        return checkpoint;
    }

    public JobSnapshot job() {
        return job;
    }

    /** Reads the snapshot's own streams, verified. */
    public CheckpointSnapshotReader reader() {
        return reader;
    }

    /** Reads the snapshot's streams and the canonical streams converted from native handles ({@link #canonical}). */
    public SnapshotReader streams() {
        return streams;
    }

    /**
     * {@code handle} as canonical keyed state: itself when it is canonical, else its conversion (read through {@link
     * #streams()}).
     *
     * @throws ConfigurationException if the handle is native and no converter for its format is on the class path
     */
    public KeyedStateHandle canonical(String operatorId, KeyedStateHandle handle) {
        if (isCanonical(handle)) {
            return handle;
        }
        KeyedStateHandle done = canonical.get(handle);
        if (done != null) {
            return done;
        }
        NativeSnapshotConverter converter = NativeSnapshotConverter.forFormat(handle.format(), StateListings.loader());
        if (converter == null) {
            throw new ConfigurationException("keyed state is in a native format no converter on the class path reads:"
                    + " operator=" + operatorId + ", format=" + handle.format() + ", range=" + handle.keyGroupRange()
                    + " (put the backend's jar on the class path, or take a savepoint, which is canonical)");
        }
        done = converter.toCanonical(
                handle,
                reader,
                handle.keyGroupRange(),
                converted,
                CONVERTED_PREFIX + operatorId + "-" + canonical.size(),
                StateListings.loader());
        canonical.put(handle, done);
        return done;
    }

    CheckpointFileSystem fileSystem() {
        return fs;
    }

    public List<OperatorSnapshot> operators() {
        return job.operators();
    }

    /** The operator called {@code operatorId}. @throws ConfigurationException if there is none */
    public OperatorSnapshot operator(String operatorId) {
        OperatorSnapshot o = job.operator(operatorId);
        if (o == null) {
            List<String> ids = new ArrayList<>();
            for (OperatorSnapshot op : job.operators()) {
                ids.add(op.operatorId());
            }
            throw new ConfigurationException("operator not in snapshot: operator=" + operatorId + ", operators=" + ids);
        }
        return o;
    }

    /**
     * The states of an operator read from its streams, each name once (keyed first, then operator): type (with
     * {@code +TTL}), serializers, and for keyed states the number of entries (key, namespace pairs) across all
     * subtasks. Reads every keyed stream of the operator.
     */
    public List<StateSummary> describeStates(String operatorId) {
        Map<String, StateDescription> keyed = new LinkedHashMap<>();
        Map<String, Long> entries = new LinkedHashMap<>();
        List<OperatorStateHandle> operatorHandles = new ArrayList<>();
        for (SubtaskState s : operator(operatorId).subtasks()) {
            operatorHandles.addAll(s.operatorHandles());
        }
        for (KeyedStateHandle h : canonicalHandles(operatorId)) {
            CanonicalSnapshotReader.Header header =
                    CanonicalSnapshotReader.readHeader(h, streams, StateListings.loader());
            long[] counts = new long[header.states().size()];
            for (StateMetaInfo m : header.states()) {
                keyed.putIfAbsent(m.name(), StateListings.describe(m, header));
            }
            CanonicalSnapshotReader.readKeyGroups(
                    h, streams, h.keyGroupRange(), counts.length, (state, group, k, ns, v) -> counts[state]++);
            for (int i = 0; i < counts.length; i++) {
                entries.merge(header.states().get(i).name(), counts[i], Long::sum);
            }
        }
        List<StateSummary> result = new ArrayList<>();
        for (StateDescription d : keyed.values()) {
            result.add(new StateSummary(d, entries.getOrDefault(d.name(), 0L)));
        }
        for (StateDescription d : StateListings.operator(operatorHandles, streams)) {
            result.add(new StateSummary(d, -1));
        }
        return result;
    }

    /** A state read from the streams: its description and, for keyed state, its entry count (-1 for operator). */
    public record StateSummary(StateDescription description, long entries) {}

    /** The states of an operator as listed in {@code _metadata}, each name once (keyed first, then operator). */
    public List<StateDescription> states(String operatorId) {
        Map<String, StateDescription> states = new LinkedHashMap<>();
        for (SubtaskState s : operator(operatorId).subtasks()) {
            for (StateDescription d : s.states()) {
                states.putIfAbsent(d.scope() + "/" + d.name(), d);
            }
        }
        return new ArrayList<>(states.values());
    }

    /**
     * Reads every file the snapshot references completely and verifies it; checks every inline stream (its bytes were
     * verified with {@code _metadata}) against the handle that references it.
     */
    public void verifyAll() {
        for (FileReference f : checkpoint.metadata().files()) {
            String name = CheckpointSnapshotReader.streamName(f);
            reader.verify(
                    new StreamHandle(name, lengthOf(name, f.name()), f.scope() == FileReference.Scope.SHARED), null);
        }
        for (InlineStream s : checkpoint.metadata().inline()) {
            String name = CheckpointSnapshotReader.streamName(s);
            reader.verify(new StreamHandle(name, lengthOf(name, s.name()), false), null);
        }
    }

    /** The uncompressed length the handle records; found via the handles that reference the file. */
    private long lengthOf(String name, String entry) {
        for (OperatorSnapshot o : job.operators()) {
            for (SubtaskState s : o.subtasks()) {
                for (StreamHandle h : s.streams()) {
                    if (h.name().equals(name)) {
                        return h.length();
                    }
                }
            }
        }
        throw new CorruptCheckpointException(
                "entry listed in _metadata but referenced by no handle", entry, 0, "a handle", "none");
    }

    /** Sizes per key group (canonical) or per handle (native), in subtask order. */
    public List<KeyGroupSpan> keyGroups(String operatorId) {
        List<KeyGroupSpan> spans = new ArrayList<>();
        for (SubtaskState s : operator(operatorId).subtasks()) {
            for (KeyedStateHandle h : s.keyedHandles()) {
                if (!isCanonical(h)) {
                    long bytes = 0;
                    for (StreamHandle stream : h.streams()) {
                        bytes += stream.length();
                    }
                    spans.add(new KeyGroupSpan(operatorId, s.subtaskIndex(), h.format(), h.keyGroupRange(), bytes));
                    continue;
                }
                KeyGroupOffsets offsets = offsets(h);
                long end = h.streams().get(0).length();
                KeyGroupRange range = h.keyGroupRange();
                for (int g = range.endKeyGroup(); g >= range.startKeyGroup(); g--) {
                    long start = offsets.offsetOf(g);
                    spans.add(new KeyGroupSpan(
                            operatorId, s.subtaskIndex(), h.format(), KeyGroupRange.of(g, g), end - start));
                    end = start;
                }
            }
        }
        spans.sort(
                (a, b) -> Integer.compare(a.range().startKeyGroup(), b.range().startKeyGroup()));
        return spans;
    }

    /** Every raw entry of keyed state {@code stateName}, by subtask then key group. */
    public void forEachRaw(String operatorId, String stateName, RawEntryVisitor visitor) {
        forEachHandle(operatorId, stateName, (header, meta) -> visitor);
    }

    /**
     * Every entry of keyed state {@code stateName}, decoded with the restore serializers of the serializer snapshots
     * stored in the snapshot (the classes they name must be on the class path). Values are the stored value: the value
     * of a value state, the element list of a list state, the map of a map state, TTL-wrapped where TTL is on.
     */
    public void forEach(String operatorId, String stateName, EntryVisitor visitor) {
        forEachHandle(operatorId, stateName, (header, meta) -> {
            StateSerializer<?> keys = header.keySerializer().restoreSerializer();
            StateSerializer<?> namespaces = meta.namespaceSerializer().restoreSerializer();
            StateSerializer<?> values = meta.valueSerializer().restoreSerializer();
            return (group, key, ns, value) ->
                    visitor.entry(group, decode(keys, key), decode(namespaces, ns), decode(values, value));
        });
    }

    /** Makes the visitor of one keyed handle's entries of a state, given its stream header and the state's info. */
    private interface HandleVisitors {
        RawEntryVisitor forHandle(CanonicalSnapshotReader.Header header, StateMetaInfo meta);
    }

    /** Reads the entries of {@code stateName} in every keyed handle of the operator (canonical or converted). */
    private void forEachHandle(String operatorId, String stateName, HandleVisitors visitors) {
        for (KeyedStateHandle h : canonicalHandles(operatorId)) {
            CanonicalSnapshotReader.Header header =
                    CanonicalSnapshotReader.readHeader(h, streams, StateListings.loader());
            int index = indexOf(header, stateName);
            if (index < 0) {
                continue;
            }
            RawEntryVisitor visitor = visitors.forHandle(header, header.states().get(index));
            CanonicalSnapshotReader.readKeyGroups(
                    h, streams, h.keyGroupRange(), header.states().size(), (state, group, key, ns, value) -> {
                        if (state == index) {
                            visitor.entry(group, key, ns, value);
                        }
                    });
        }
    }

    /** The operator's keyed handles of every subtask as canonical handles ({@link #canonical}), in subtask order. */
    private List<KeyedStateHandle> canonicalHandles(String operatorId) {
        List<KeyedStateHandle> handles = new ArrayList<>();
        for (SubtaskState s : operator(operatorId).subtasks()) {
            for (KeyedStateHandle stored : s.keyedHandles()) {
                KeyedStateHandle h = canonical(operatorId, stored);
                if (h != null) {
                    handles.add(h);
                }
            }
        }
        return handles;
    }

    /** The operator states of each old subtask, raw, in subtask order. */
    public List<List<OperatorStateStream.State>> operatorStates(String operatorId) {
        List<List<OperatorStateStream.State>> all = new ArrayList<>();
        for (SubtaskState s : operator(operatorId).subtasks()) {
            List<OperatorStateStream.State> states = new ArrayList<>();
            for (OperatorStateHandle h : s.operatorHandles()) {
                states.addAll(OperatorStateStream.read(h, reader, StateListings.loader()));
            }
            all.add(states);
        }
        return all;
    }

    static Object decode(StateSerializer<?> serializer, byte[] bytes) {
        return serializer.read(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    static int indexOf(CanonicalSnapshotReader.Header header, String stateName) {
        for (int i = 0; i < header.states().size(); i++) {
            if (header.states().get(i).name().equals(stateName)) {
                return i;
            }
        }
        return -1;
    }

    static boolean isCanonical(KeyedStateHandle h) {
        return CanonicalFormat.FORMAT_NAME.equals(h.format()) && h.streams().size() == 1;
    }

    static KeyGroupOffsets offsets(KeyedStateHandle h) {
        try {
            return KeyGroupOffsets.fromBytes(h.payload(), h.keyGroupRange());
        } catch (RuntimeException e) {
            throw new CorruptCheckpointException(
                    "canonical handle payload invalid",
                    h.streams().get(0).name(),
                    0,
                    "key-group offsets",
                    e.getMessage());
        }
    }
}
