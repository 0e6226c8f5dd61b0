package io.tidemark.checkpoint.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A {@link CheckpointFileSystem} for tests that runs on the real disk below one root directory and injects faults:
 *
 * <ul>
 *   <li>a byte quota over the files it holds (disk full: a write that crosses it writes what fits, then fails with
 *       ENOSPC, mapped to {@link io.tidemark.StorageSpaceException});
 *   <li>seeded EIO failures on chosen operations, and "fail the n-th next operation of a kind";
 *   <li>delays per operation;
 *   <li>power loss: it models what POSIX promises to be durable (a file's bytes up to its last fsync; a directory's
 *       entries as of its last fsync) and {@link #powerLoss()} rewrites the real directory tree to exactly that state:
 *       unsynced bytes are dropped, un-synced creates and renames are undone, un-synced deletes come back. {@link
 *       #powerLoss(Random)} lets a random part of the un-synced state survive too (a random tail of each file, a random
 *       prefix of each directory's un-synced entry changes), as real disks do;
 *   <li>{@link #cutPowerAfter(long)}: the power goes in the middle of whatever runs after n more operations.
 * </ul>
 *
 * <p>Everything that exists below the root when it is constructed counts as durable. Paths outside the root are
 * refused. Renaming directories and renaming across directories are not modelled and refused. Thread-safe
 * (one lock); test use only, allocates freely.
 */
public final class FaultInjectingFileSystem implements CheckpointFileSystem {
    /** Operation kinds that faults and delays can target. */
    public enum Op {
        CREATE,
        WRITE,
        SYNC,
        SYNC_DIRECTORY,
        RENAME,
        DELETE,
        MKDIR,
        READ
    }

    private static final CheckpointFileSystem REAL = NioCheckpointFileSystem.INSTANCE;

    private final Path root;
    private final Path graveyard;
    private final Map<Path, ModelNode> nodes = new HashMap<>();
    private ModelNode rootModelNode;
    private int nextId;
    private long generation;

    private long quotaBytes = Long.MAX_VALUE;
    private long usedBytes;
    private final FaultSchedule faults = new FaultSchedule();
    private final java.util.Set<Path> locks = new java.util.HashSet<>();

    /**
     * @param root the directory under test; created if missing, its current content counts as durable
     * @param scratch a directory on the same file system, outside {@code root}, for un-synced deletes and power loss
     */
    public FaultInjectingFileSystem(Path root, Path scratch) {
        this.root = root.toAbsolutePath().normalize();
        this.graveyard = scratch.toAbsolutePath().normalize();
        if (graveyard.startsWith(this.root)) {
            throw new IllegalArgumentException("scratch must be outside root: scratch=" + scratch + ", root=" + root);
        }
        REAL.createDirectories(this.root);
        REAL.createDirectories(graveyard);
        rescan();
    }

    // ------------------------------------------------------------------ fault configuration

    /** Total bytes the files below the root may hold (files that existed at construction count too). */
    public synchronized void setQuotaBytes(long quota) {
        this.quotaBytes = quota;
    }

    public synchronized long usedBytes() {
        return usedBytes;
    }

    /** Each operation of a kind in {@code ops} fails with EIO with {@code probability}, drawn from {@code seed}. */
    public synchronized void setRandomFailures(long seed, double probability, Set<Op> ops) {
        faults.setRandomFailures(seed, probability, ops);
    }

    /** The {@code n}-th next operation of kind {@code op} (1 = the very next) fails with EIO, once. */
    public synchronized void failNth(Op op, int n) {
        faults.failNth(op, n);
    }

    public synchronized void setDelay(Op op, long delay, TimeUnit unit) {
        faults.setDelay(op, unit.toNanos(delay));
    }

    /**
     * After {@code operations} more operations of any kind except {@link Op#READ}, the power goes: that operation and
     * every later one fail with {@link io.tidemark.StorageIOException} until {@link #powerLoss()} "reboots".
     */
    public synchronized void cutPowerAfter(long operations) {
        faults.cutPowerAfter(operations);
    }

    public synchronized boolean isPowerCut() {
        return faults.isPowerCut();
    }

    /** Removes quota, failures and delays. */
    public synchronized void clearFaults() {
        quotaBytes = Long.MAX_VALUE;
        faults.clear();
    }

    /**
     * The paths each operation of kind {@code op} was attempted on (successful or not), in order, since construction
     * or the last {@link #clearPerformed()}: counts files created, fsyncs and so on.
     */
    public synchronized List<Path> performed(Op op) {
        return faults.performed(op);
    }

    public synchronized void clearPerformed() {
        faults.clearPerformed();
    }

    /** A log line for each fault injected, for test diagnostics. */
    public synchronized List<String> injectedFaults() {
        return faults.injected();
    }

    // ------------------------------------------------------------------ power loss

    /**
     * Simulates a power cut, worst case: afterwards the real tree below the root holds exactly what was durable, and
     * nothing that was not. Open files of the lost "boot" become unusable (their operations throw {@link
     * IllegalStateException}).
     */
    public synchronized void powerLoss() {
        powerLoss(null);
    }

    /**
     * Simulates a power cut where some un-synced changes happened to reach the disk anyway, as a real disk may do:
     * each file keeps a random part of its un-synced tail, and each directory keeps a random prefix of its un-synced
     * entry changes (creates, renames, deletes, in the order they were made). With {@code random == null} nothing
     * un-synced survives.
     */
    public synchronized void powerLoss(Random random) {
        generation++;
        locks.clear();
        faults.reboot();
        Map<ModelNode, Map<String, ModelNode>> survivors = new IdentityHashMap<>();
        survivingEntries(rootModelNode, random, survivors);
        Map<ModelNode, Path> staged = new IdentityHashMap<>();
        stageDurableFiles(rootModelNode, survivors, random, staged);
        for (String name : REAL.list(root)) {
            REAL.deleteRecursively(root.resolve(name));
        }
        rebuild(rootModelNode, root, survivors, staged);
        for (String name : REAL.list(graveyard)) {
            REAL.deleteRecursively(graveyard.resolve(name));
        }
        rescan();
    }

    /** The entries of every directory that survive: durable ones plus a random prefix of the un-synced changes. */
    private static void survivingEntries(ModelNode dir, Random random, Map<ModelNode, Map<String, ModelNode>> out) {
        if (out.containsKey(dir)) {
            return;
        }
        Map<String, ModelNode> entries = new TreeMap<>(dir.durableChildren);
        int keep = random == null ? 0 : random.nextInt(dir.pending.size() + 1);
        for (int i = 0; i < keep; i++) {
            dir.pending.get(i).applyTo(entries);
        }
        out.put(dir, entries);
        for (ModelNode child : entries.values()) {
            if (child.directory) {
                survivingEntries(child, random, out);
            }
        }
    }

    private void stageDurableFiles(
            ModelNode dir,
            Map<ModelNode, Map<String, ModelNode>> survivors,
            Random random,
            Map<ModelNode, Path> staged) {
        for (ModelNode child : survivors.get(dir).values()) {
            if (child.directory) {
                stageDurableFiles(child, survivors, random, staged);
            } else if (!staged.containsKey(child)) {
                Path stage = graveyard.resolve("stage-" + child.id);
                REAL.rename(child.location(), stage);
                long unsynced = child.length - child.durableLength;
                long keep = random == null || unsynced <= 0 ? 0 : (long) (random.nextDouble() * (unsynced + 1));
                truncate(stage, child.durableLength + keep);
                staged.put(child, stage);
            }
        }
    }

    private void rebuild(
            ModelNode dir, Path at, Map<ModelNode, Map<String, ModelNode>> survivors, Map<ModelNode, Path> staged) {
        for (Map.Entry<String, ModelNode> e : survivors.get(dir).entrySet()) {
            Path target = at.resolve(e.getKey());
            ModelNode child = e.getValue();
            if (child.directory) {
                REAL.createDirectories(target);
                rebuild(child, target, survivors, staged);
            } else {
                Path stage = staged.get(child);
                if (stage == null) {
                    throw new IllegalStateException("hard links are not modelled: " + target);
                }
                REAL.rename(stage, target);
                staged.remove(child);
            }
        }
    }

    private static void truncate(Path file, long length) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(length);
        } catch (IOException e) {
            throw StorageErrors.translate("truncate", file, e);
        }
    }

    private void rescan() {
        nodes.clear();
        usedBytes = 0;
        rootModelNode = new ModelNode(nextId++, true);
        rootModelNode.path = root;
        nodes.put(root, rootModelNode);
        scan(rootModelNode, root);
    }

    private void scan(ModelNode dir, Path path) {
        for (String name : REAL.list(path)) {
            Path p = path.resolve(name);
            ModelNode node = new ModelNode(nextId++, Files.isDirectory(p));
            node.path = p;
            if (!node.directory) {
                node.length = REAL.size(p);
                node.durableLength = node.length;
                usedBytes += node.length;
            }
            dir.children.put(name, node);
            dir.durableChildren.put(name, node);
            nodes.put(p, node);
            if (node.directory) {
                scan(node, p);
            }
        }
    }

    // ------------------------------------------------------------------ operations

    private Path checked(Path path) {
        Path p = path.toAbsolutePath().normalize();
        if (!p.startsWith(root)) {
            throw new IllegalArgumentException("path outside the fault-injected root: path=" + path + ", root=" + root);
        }
        return p;
    }

    private ModelNode parentOf(Path p) {
        ModelNode parent = nodes.get(p.getParent());
        if (parent == null || !parent.directory) {
            throw StorageErrors.translate(
                    "lookup",
                    p,
                    new java.nio.file.NoSuchFileException(p.getParent().toString()));
        }
        return parent;
    }

    @Override
    public synchronized WritableFile create(Path file) {
        Path p = checked(file);
        faults.check(Op.CREATE, p);
        ModelNode parent = parentOf(p);
        WritableFile real = REAL.create(p);
        ModelNode node = new ModelNode(nextId++, false);
        node.path = p;
        parent.changeEntry(p.getFileName().toString(), node);
        nodes.put(p, node);
        return new FaultWritableFile(real, node, generation);
    }

    @Override
    public synchronized ReadableFile openRead(Path file) {
        Path p = checked(file);
        faults.check(Op.READ, p);
        return REAL.openRead(p);
    }

    @Override
    public synchronized void createDirectories(Path dir) {
        Path p = checked(dir);
        if (nodes.containsKey(p)) {
            return;
        }
        createDirectories(p.getParent());
        faults.check(Op.MKDIR, p);
        ModelNode parent = parentOf(p);
        REAL.createDirectories(p);
        ModelNode node = new ModelNode(nextId++, true);
        node.path = p;
        parent.changeEntry(p.getFileName().toString(), node);
        nodes.put(p, node);
    }

    @Override
    public synchronized void syncDirectory(Path dir) {
        Path p = checked(dir);
        faults.check(Op.SYNC_DIRECTORY, p);
        REAL.syncDirectory(p);
        ModelNode node = nodes.get(p);
        node.durableChildren.clear();
        node.durableChildren.putAll(node.children);
        node.pending.clear();
    }

    @Override
    public synchronized void rename(Path source, Path target) {
        Path s = checked(source);
        Path t = checked(target);
        faults.check(Op.RENAME, s);
        ModelNode node = nodes.get(s);
        if (node == null) {
            throw StorageErrors.translate("rename", s, new java.nio.file.NoSuchFileException(s.toString()));
        }
        if (node.directory) {
            throw new IllegalArgumentException("renaming directories is not modelled: " + s);
        }
        ModelNode parent = parentOf(t);
        if (parent != parentOf(s)) {
            throw new IllegalArgumentException("renames across directories are not modelled: " + s + " -> " + t);
        }
        ModelNode replaced = nodes.get(t);
        if (replaced != null) {
            bury(replaced);
        }
        REAL.rename(s, t);
        nodes.remove(s);
        node.path = t;
        parent.changeEntries(s.getFileName().toString(), null, t.getFileName().toString(), node);
        nodes.put(t, node);
    }

    /** Keeps the content of a file that leaves the namespace: a power loss may bring its entry back. */
    private void bury(ModelNode node) {
        usedBytes -= node.length;
        Path grave = graveyard.resolve("grave-" + node.id);
        REAL.rename(node.path, grave);
        node.path = grave;
    }

    /** Locks are held in memory (one model process); {@link #powerLoss()} ends that process and releases them. */
    @Override
    public synchronized DirectoryLock tryLock(Path lockFile) {
        Path p = checked(lockFile);
        if (!locks.add(p)) {
            return null;
        }
        long heldIn = generation;
        return () -> {
            synchronized (FaultInjectingFileSystem.this) {
                if (generation == heldIn) {
                    locks.remove(p);
                }
            }
        };
    }

    @Override
    public synchronized List<String> list(Path dir) {
        return REAL.list(checked(dir));
    }

    @Override
    public synchronized boolean exists(Path path) {
        return nodes.containsKey(checked(path));
    }

    @Override
    public synchronized boolean isDirectory(Path path) {
        ModelNode node = nodes.get(checked(path));
        return node != null && node.directory;
    }

    @Override
    public synchronized long size(Path file) {
        return REAL.size(checked(file));
    }

    @Override
    public synchronized void delete(Path path) {
        Path p = checked(path);
        ModelNode node = nodes.get(p);
        if (node == null) {
            return;
        }
        faults.check(Op.DELETE, p);
        if (node.directory) {
            REAL.delete(p);
            node.path = null;
        } else {
            bury(node);
        }
        parentOf(p).changeEntry(p.getFileName().toString(), null);
        nodes.remove(p);
    }

    private synchronized void write(FaultWritableFile file, ByteBuffer src) {
        file.checkGeneration();
        Path p = file.node.path;
        faults.check(Op.WRITE, p);
        long room = quotaBytes - usedBytes;
        int n = src.remaining();
        if (n > room) {
            ByteBuffer part = src.duplicate();
            part.limit(part.position() + (int) Math.max(0, room));
            int written = part.remaining();
            file.real.write(part);
            src.position(src.position() + written);
            file.node.length += written;
            usedBytes += written;
            faults.log("ENOSPC " + p);
            throw StorageErrors.translate("write", p, new IOException("No space left on device"));
        }
        file.real.write(src);
        file.node.length += n;
        usedBytes += n;
    }

    private synchronized void sync(FaultWritableFile file) {
        file.checkGeneration();
        faults.check(Op.SYNC, file.node.path);
        file.real.sync();
        file.node.durableLength = file.node.length;
    }

    private final class FaultWritableFile implements WritableFile {
        final WritableFile real;
        final ModelNode node;
        final long generation;
        final Path originalPath;

        FaultWritableFile(WritableFile real, ModelNode node, long generation) {
            this.real = real;
            this.node = node;
            this.generation = generation;
            this.originalPath = node.path;
        }

        void checkGeneration() {
            if (generation != FaultInjectingFileSystem.this.generation) {
                throw new IllegalStateException("file opened before a simulated power loss: " + originalPath);
            }
        }

        @Override
        public Path path() {
            return originalPath;
        }

        @Override
        public void write(ByteBuffer src) {
            FaultInjectingFileSystem.this.write(this, src);
        }

        @Override
        public long position() {
            return real.position();
        }

        @Override
        public void sync() {
            FaultInjectingFileSystem.this.sync(this);
        }

        @Override
        public void close() {
            real.close();
        }
    }
}
