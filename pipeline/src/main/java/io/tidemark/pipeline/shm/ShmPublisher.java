package io.tidemark.pipeline.shm;

import io.tidemark.StorageIOException;
import io.tidemark.pipeline.queryable.ChangeTracker;
import io.tidemark.pipeline.queryable.QueryJson;
import io.tidemark.pipeline.queryable.QueryTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import net.openhft.chronicle.map.ChronicleMap;

/**
 * Mirrors the queryable value states of a running job into persisted Chronicle Map files under a directory (the
 * shared-memory view, read by {@link TidemarkStateReader} in other JVMs). Every {@code intervalMillis} it asks each
 * keyed instance for the values written since the last ask; the instance's operator thread only swaps a map between
 * records (no I/O, no waiting), and this thread turns the values into JSON and writes them. A published value is at
 * most about one interval plus one write pass behind the live state. Its own thread; {@link #close()} publishes the last
 * changes of instances that already ended.
 */
public final class ShmPublisher implements AutoCloseable {
    private final Path dir;
    private final Supplier<List<QueryTarget>> targets;
    private final long intervalMillis;
    private final Map<String, ChronicleMap<String, byte[]>> maps = new HashMap<>();
    private final Map<QueryTarget, CompletableFuture<Map<String, Map<Object, Object>>>> inFlight =
            new IdentityHashMap<>();
    private final List<QueryTarget> seen = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long published;
    private volatile Throwable failure;

    private ShmPublisher(Path dir, Supplier<List<QueryTarget>> targets, long intervalMillis) {
        this.dir = dir;
        this.targets = targets;
        this.intervalMillis = intervalMillis;
        this.thread = new Thread(this::loop, "tidemark-shm-publisher");
        this.thread.setDaemon(true);
    }

    /**
     * Starts publishing; call before the job starts so that writes are tracked from the first record.
     *
     * @param targets the query targets of the running attempt (e.g. {@code JobRunner::queryTargets})
     */
    public static ShmPublisher start(Path dir, Supplier<List<QueryTarget>> targets, long intervalMillis) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StorageIOException("cannot create shared-memory directory: dir=" + dir + ": " + e, e);
        }
        ChangeTracker.trackFromStart();
        ShmPublisher publisher = new ShmPublisher(dir, targets, intervalMillis);
        publisher.thread.start();
        return publisher;
    }

    /** Values written to the files so far (for tests and metrics). */
    public long published() {
        return published;
    }

    private void loop() {
        try {
            while (running) {
                publishOnce(false);
                LockSupport.parkNanos(intervalMillis * 1_000_000L);
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    /** One pass: ask every instance seen so far (old attempts' instances answer their leftovers once), write answers. */
    private void publishOnce(boolean last) {
        for (QueryTarget t : targets.get()) {
            if (!seen.contains(t)) {
                seen.add(t);
            }
        }
        for (QueryTarget t : seen) {
            inFlight.computeIfAbsent(t, QueryTarget::requestChanges);
        }
        List<QueryTarget> done = new ArrayList<>();
        for (Map.Entry<QueryTarget, CompletableFuture<Map<String, Map<Object, Object>>>> e : inFlight.entrySet()) {
            CompletableFuture<Map<String, Map<Object, Object>>> f = e.getValue();
            if (last && !f.isDone()) {
                continue;
            }
            if (f.isDone()) {
                write(f.join());
                done.add(e.getKey());
            }
        }
        for (QueryTarget t : done) {
            inFlight.remove(t);
            if (t.isClosed()) {
                // the request may have been answered just before the close: a closed target answers one more request
                // at once with the changes its task kept at its end, which would be lost if the target were dropped now
                write(t.requestChanges().join());
                seen.remove(t);
            }
        }
    }

    private void write(Map<String, Map<Object, Object>> changes) {
        for (Map.Entry<String, Map<Object, Object>> state : changes.entrySet()) {
            if (state.getValue().isEmpty()) {
                continue;
            }
            ChronicleMap<String, byte[]> map = maps.computeIfAbsent(state.getKey(), n -> {
                ChronicleMap<String, byte[]> created = ShmStateFile.open(dir, n);
                ShmStateFile.writeMeta(dir, n, intervalMillis);
                return created;
            });
            for (Map.Entry<Object, Object> e : state.getValue().entrySet()) {
                String key = String.valueOf(e.getKey());
                if (e.getValue() == ChangeTracker.CLEARED) {
                    map.remove(key);
                } else {
                    map.put(key, json(e.getValue()));
                }
                published++;
            }
        }
    }

    private static byte[] json(Object value) {
        try {
            return QueryJson.MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("value not serializable to JSON: " + e, e);
        }
    }

    /**
     * Stops the thread, publishes what instances that ended left unpublished, and closes the files.
     *
     * @throws IllegalStateException if publishing failed (with that failure as cause)
     */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure == null) {
            publishOnce(true);
        }
        for (ChronicleMap<String, byte[]> map : maps.values()) {
            map.close();
        }
        maps.clear();
        if (failure != null) {
            throw new IllegalStateException("shared-memory publishing failed: dir=" + dir + ": " + failure, failure);
        }
    }
}
