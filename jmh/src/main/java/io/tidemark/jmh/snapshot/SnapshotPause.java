package io.tidemark.jmh.snapshot;

import io.tidemark.jmh.CommandLine;
import io.tidemark.jmh.keys.KeySpace;
import io.tidemark.jmh.keys.RandomKeyChoice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * Snapshot pause: the time the owner thread spends in the synchronous part of a snapshot, the call to
 * {@code KeyedStateBackend.snapshot(...)} until it returns the asynchronous part, with the previous snapshot's
 * asynchronous part still running on another thread. Run as a main class from {@code benchmarks.jar} (see
 * {@code docs/benchmarks.md}, section "Issue 10"); options in {@link PauseOptions}.
 *
 * <p>Each round, on the owner thread: tell the backend about completed asynchronous parts
 * ({@code notifyCheckpointComplete}, in order) and wait (not timed, parked) until none is outstanding (one may still
 * run with {@code overlap=natural}); update
 * {@code updateFraction} of the keys, chosen uniformly at random (not timed); with {@code overlap=forced} (default)
 * hand the previous snapshot's asynchronous part to the single snapshot thread now; spin (not timed) until the latest
 * asynchronous part has started; then time {@code snapshot(...)}. With {@code overlap=natural} each asynchronous part
 * is handed over right after its synchronous part and runs during the next round's updates. With {@code overlap=none}
 * (a reference point, not the target's condition) the owner waits for it and confirms it before the next round, so
 * the pause holds no wait and no incremental snapshot carries unconfirmed pages. Either way at most two
 * asynchronous parts exist at once (memory stays bounded), and the report counts how many synchronous parts started
 * while their predecessor's asynchronous part was still running ({@code overlapped}). A backend that waits inside
 * {@code snapshot(...)} for the previous asynchronous part shows that wait in the pause, as the owner thread would.
 *
 * <p>"Started" is the snapshot thread's last step before calling the backend. If that thread is descheduled right
 * there, a backend may cancel the not-yet-entered asynchronous part when the next synchronous part begins (Tidemark's
 * offheap backend does: "snapshot superseded"). Such synchronous parts take a different, cheaper path: they are counted
 * ({@code supersedingDropped}) and left out of the histogram, and more rounds run until {@code samples} pauses are
 * recorded (at most {@code warmup + 3 * samples} rounds). Spinning instead of parking keeps them rare.
 *
 * <p>Snapshots go to a storage that counts and discards the bytes ({@link DiscardingSnapshotStorage}). Pauses are
 * recorded in an HdrHistogram (1 ns to 1 min, 3 significant digits); the report is printed and appended as one
 * tab-separated line to {@code results}.
 */
public final class SnapshotPause {
    private static final String HEADER = "backend\tkeyCount\tvalueSize\tkind\toverlap\tupdatesPerSnapshot\tsamples"
            + "\toverlapped\tsupersedingDropped\tp50us\tp90us\tp99us\tp999us\tmaxUs\tmeanUs\tasyncP50ms\tasyncMaxMs\tbytesP50\tload1Start"
            + "\tload1End\tstate\tmapSize";
    private static final Path LOADAVG = Path.of("/proc/loadavg");
    private static final byte PAUSED = 1;
    private static final byte PREVIOUS_KNOWN = 2;
    private static final byte PREVIOUS_SUPERSEDED = 4;

    private final PauseOptions options;
    private final PauseSubject subject;
    private final RandomKeyChoice choice;
    private final ExecutorService snapshotThread = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "snapshot-async");
        thread.setDaemon(true);
        return thread;
    });
    private final ArrayDeque<Outstanding> outstanding = new ArrayDeque<>();
    private final Histogram pauses = new Histogram(TimeUnit.MINUTES.toNanos(1), 3);
    private final Histogram asyncNanos = new Histogram(TimeUnit.MINUTES.toNanos(10), 3);
    private final Histogram asyncBytes = new Histogram(3);
    private final int maxRounds;
    private final long[] pauseById;
    private final boolean[] overlapById;
    private final byte[] status;
    private final boolean forced;
    private final int keepRunning;
    private Object pendingAsync;
    private int clean;
    private int overlapped;
    private int superseding;

    /** One asynchronous part handed to the snapshot thread. */
    private record Outstanding(long checkpointId, AtomicBoolean started, Future<long[]> result) {}

    private SnapshotPause(PauseOptions options, PauseSubject subject) {
        this.options = options;
        this.subject = subject;
        this.choice = new RandomKeyChoice(options.keyCount(), 11L);
        this.forced = options.overlap().equals("forced");
        // forced: the pending asynchronous part becomes the one running, so none may be left when it is handed over
        this.keepRunning = options.overlap().equals("natural") ? 1 : 0;
        this.maxRounds = options.warmup() + 3 * options.samples();
        this.pauseById = new long[maxRounds + 2];
        this.overlapById = new boolean[maxRounds + 2];
        this.status = new byte[maxRounds + 2];
        status[1] = PREVIOUS_KNOWN;
    }

    public static void main(String[] args) throws Exception {
        PauseOptions options = PauseOptions.parse(args);
        String loadStart = load1();
        KeySpace keys = new KeySpace(options.keyCount());
        Path workDir = Files.createTempDirectory("tidemark-snapshot-pause-");
        try {
            long loadBegin = System.nanoTime();
            try (PauseSubject subject = open(options, keys, workDir)) {
                System.out.printf(
                        Locale.ROOT,
                        "loaded %d keys x %s in %.1f s%n",
                        options.keyCount(),
                        options.state().equals("map")
                                ? options.mapSize() + " map entries"
                                : options.state() + " " + options.valueSize() + " B",
                        (System.nanoTime() - loadBegin) / 1e9);
                new SnapshotPause(options, subject).run(loadStart);
            }
        } finally {
            deleteRecursively(workDir);
        }
    }

    private static PauseSubject open(PauseOptions options, KeySpace keys, Path workDir) throws Exception {
        return switch (options.backend()) {
            case "tidemarkOffheap" -> new TidemarkPauseSubject(options, keys.primitiveKeys(), workDir);
            case "flinkHeap" -> {
                if (!options.state().equals("value")) {
                    throw new io.tidemark.ConfigurationException(
                            "flinkHeap runs state=value only: state=" + options.state());
                }
                yield new FlinkPauseSubject(options, keys.boxedKeys());
            }
            default ->
                throw new io.tidemark.ConfigurationException(
                        "unknown backend: backend=" + options.backend() + ", allowed=[tidemarkOffheap, flinkHeap]");
        };
    }

    private void run(String loadStart) throws Exception {
        long checkpointId = 0;
        try {
            while (clean < options.samples() && checkpointId < maxRounds) {
                awaitRoom();
                updateKeys();
                if (forced && pendingAsync != null) {
                    submit(checkpointId, pendingAsync);
                    pendingAsync = null;
                }
                awaitStarted();
                Object asyncPart = snapshot(++checkpointId);
                if (forced) {
                    pendingAsync = asyncPart;
                } else {
                    submit(checkpointId, asyncPart);
                }
            }
            if (pendingAsync != null) {
                submit(checkpointId, pendingAsync);
            }
            while (!outstanding.isEmpty()) {
                complete(outstanding.removeFirst());
            }
        } finally {
            snapshotThread.shutdownNow();
        }
        report(loadStart, load1());
    }

    /**
     * Completes finished asynchronous parts; waits (parked, not spinning) until at most one is outstanding with
     * overlap=natural, none otherwise.
     */
    private void awaitRoom() throws Exception {
        while (!outstanding.isEmpty() && outstanding.peekFirst().result().isDone()) {
            complete(outstanding.removeFirst());
        }
        while (outstanding.size() > keepRunning) {
            complete(outstanding.removeFirst());
        }
    }

    /** Waits until the latest asynchronous part handed over has started. */
    private void awaitStarted() {
        Outstanding previous = outstanding.peekLast();
        if (previous != null) {
            // spin, not park: waking a parked owner thread tends to preempt the snapshot thread on its own core
            while (!previous.started().get()) {
                Thread.onSpinWait();
            }
        }
    }

    private void updateKeys() throws Exception {
        int updates = options.updatesPerSnapshot();
        choice.choose(updates);
        int[] indexes = choice.indexes();
        for (int i = 0; i < updates; i++) {
            subject.update(indexes[i]);
        }
    }

    private Object snapshot(long checkpointId) throws Exception {
        Outstanding previous = outstanding.peekLast();
        boolean previousRunning = previous != null && !previous.result().isDone();
        long start = System.nanoTime();
        Object asyncPart = subject.snapshot(checkpointId);
        long pause = System.nanoTime() - start;
        int id = (int) checkpointId;
        pauseById[id] = pause;
        overlapById[id] = previousRunning;
        settle(id, PAUSED);
        return asyncPart;
    }

    private void submit(long checkpointId, Object asyncPart) {
        AtomicBoolean started = new AtomicBoolean();
        Future<long[]> result = snapshotThread.submit(() -> {
            long bytesBefore = subject.bytesWritten();
            long begin = System.nanoTime();
            started.set(true);
            subject.runAsync(asyncPart);
            return new long[] {System.nanoTime() - begin, subject.bytesWritten() - bytesBefore};
        });
        outstanding.addLast(new Outstanding(checkpointId, started, result));
    }

    private void complete(Outstanding done) throws Exception {
        int id = (int) done.checkpointId();
        long[] result;
        try {
            result = done.result().get();
        } catch (ExecutionException e) {
            if (!subject.superseded(e.getCause())) {
                throw e;
            }
            settle(id + 1, PREVIOUS_KNOWN | PREVIOUS_SUPERSEDED);
            return;
        }
        settle(id + 1, PREVIOUS_KNOWN);
        subject.completed(done.checkpointId());
        if (id > options.warmup()) {
            asyncNanos.recordValue(result[0]);
            asyncBytes.recordValue(Math.max(0, result[1]));
        }
    }

    /**
     * Records what is now known of snapshot {@code id}: once its pause is taken and its predecessor's fate is known,
     * a measured snapshot goes into the histogram, unless it superseded (cancelled) its predecessor, which is a
     * different, cheaper path, counted apart.
     */
    private void settle(int id, int facts) {
        if (id >= status.length) {
            return;
        }
        status[id] |= (byte) facts;
        if ((status[id] & (PAUSED | PREVIOUS_KNOWN)) != (PAUSED | PREVIOUS_KNOWN) || id <= options.warmup()) {
            return;
        }
        if ((status[id] & PREVIOUS_SUPERSEDED) != 0) {
            superseding++;
        } else {
            pauses.recordValue(pauseById[id]);
            clean++;
            if (overlapById[id]) {
                overlapped++;
            }
        }
    }

    private void report(String loadStart, String loadEnd) throws IOException {
        String line = String.format(
                Locale.ROOT,
                "%s\t%d\t%d\t%s\t%s\t%d\t%d\t%d\t%d\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.2f\t%.2f\t%d\t%s\t%s\t%s\t%d",
                options.backend(),
                options.keyCount(),
                options.valueSize(),
                options.kind(),
                options.overlap(),
                options.updatesPerSnapshot(),
                pauses.getTotalCount(),
                overlapped,
                superseding,
                pauses.getValueAtPercentile(50) / 1e3,
                pauses.getValueAtPercentile(90) / 1e3,
                pauses.getValueAtPercentile(99) / 1e3,
                pauses.getValueAtPercentile(99.9) / 1e3,
                pauses.getMaxValue() / 1e3,
                pauses.getMean() / 1e3,
                asyncNanos.getValueAtPercentile(50) / 1e6,
                asyncNanos.getMaxValue() / 1e6,
                asyncBytes.getValueAtPercentile(50),
                loadStart,
                loadEnd,
                options.state(),
                options.mapSize());
        System.out.println("SNAPSHOT-PAUSE " + HEADER);
        System.out.println("SNAPSHOT-PAUSE " + line);
        CommandLine.appendResult(Path.of(options.results()), HEADER, line);
    }

    private static String load1() throws IOException {
        return Files.exists(LOADAVG) ? Files.readString(LOADAVG).split(" ")[0] : "n/a";
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
