package io.tidemark.checkpoint.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
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
 *       unsynced bytes are dropped, un-synced creates and renames are undone, un-synced deletes come back.
 * </ul>
 *
 * <p>Everything that exists below the root when it is constructed counts as durable. Paths outside the root are
 * refused. Renaming directories is not modelled and refused. Thread-safe (one lock); test use only, allocates freely.
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
    private final Map<Path, Node> nodes = new HashMap<>();
    private Node rootNode;
    private int nextId;
    private long generation;

    private long quotaBytes = Long.MAX_VALUE;
    private long usedBytes;
    private Random random = new Random(0);
    private double eioProbability;
    private Set<Op> eioOps = EnumSet.noneOf(Op.class);
    private final Map<Op, Integer> failCountdown = new EnumMap<>(Op.class);
    private final Map<Op, Long> delayNanos = new EnumMap<>(Op.class);
    private final List<String> injected = new ArrayList<>();
    private long powerCutCountdown = -1;
    private boolean powerCut;

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
        this.random = new Random(seed);
        this.eioProbability = probability;
        this.eioOps = ops.isEmpty() ? EnumSet.noneOf(Op.class) : EnumSet.copyOf(ops);
    }

    /** The {@code n}-th next operation of kind {@code op} (1 = the very next) fails with EIO, once. */
    public synchronized void failNth(Op op, int n) {
        failCountdown.put(op, n);
    }

    public synchronized void setDelay(Op op, long delay, TimeUnit unit) {
        delayNanos.put(op, unit.toNanos(delay));
    }

    /**
     * After {@code operations} more operations of any kind except {@link Op#READ}, the power goes: that operation and
     * every later one fail with {@link io.tidemark.StorageIOException} until {@link #powerLoss()} "reboots".
     */
    public synchronized void cutPowerAfter(long operations) {
        this.powerCutCountdown = operations;
    }

    public synchronized boolean isPowerCut() {
        return powerCut;
    }

    /** Removes quota, failures and delays. */
    public synchronized void clearFaults() {
        quotaBytes = Long.MAX_VALUE;
        eioProbability = 0;
        eioOps = EnumSet.noneOf(Op.class);
        failCountdown.clear();
        delayNanos.clear();
    }

    /** A log line for each fault injected, for test diagnostics. */
    public synchronized List<String> injectedFaults() {
        return List.copyOf(injected);
    }

    private void maybeFail(Op op, Path path) {
        if (!powerCut && powerCutCountdown >= 0 && op != Op.READ && powerCutCountdown-- == 0) {
            powerCut = true;
            injected.add("POWER CUT at " + op + " " + path);
        }
        if (powerCut) {
            throw StorageErrors.translate(
                    op.name().toLowerCase(java.util.Locale.ROOT), path, new IOException("simulated power cut"));
        }
        Long delay = delayNanos.get(op);
        if (delay != null) {
            try {
                TimeUnit.NANOSECONDS.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Integer countdown = failCountdown.get(op);
        boolean fail = false;
        if (countdown != null) {
            if (countdown <= 1) {
                failCountdown.remove(op);
                fail = true;
            } else {
                failCountdown.put(op, countdown - 1);
            }
        }
        if (!fail && eioOps.contains(op) && random.nextDouble() < eioProbability) {
            fail = true;
        }
        if (fail) {
            injected.add("EIO " + op + " " + path);
            throw StorageErrors.translate(
                    op.name().toLowerCase(java.util.Locale.ROOT), path, new IOException("Input/output error"));
        }
    }

    // ------------------------------------------------------------------ power loss

    /**
     * Simulates a power cut: afterwards the real tree below the root holds only what was durable. Open files of the
     * lost "boot" become unusable (their operations throw {@link IllegalStateException}).
     */
    public synchronized void powerLoss() {
        generation++;
        powerCut = false;
        powerCutCountdown = -1;
        Map<Node, Path> staged = new IdentityHashMap<>();
        stageDurableFiles(rootNode, staged);
        for (String name : REAL.list(root)) {
            REAL.deleteRecursively(root.resolve(name));
        }
        rebuild(rootNode, root, staged);
        for (String name : REAL.list(graveyard)) {
            REAL.deleteRecursively(graveyard.resolve(name));
        }
        rescan();
    }

    private void stageDurableFiles(Node dir, Map<Node, Path> staged) {
        for (Node child : dir.durableChildren.values()) {
            if (child.directory) {
                stageDurableFiles(child, staged);
            } else if (!staged.containsKey(child)) {
                Path stage = graveyard.resolve("stage-" + child.id);
                REAL.rename(child.location(), stage);
                truncate(stage, child.durableLength);
                staged.put(child, stage);
            }
        }
    }

    private void rebuild(Node dir, Path at, Map<Node, Path> staged) {
        for (Map.Entry<String, Node> e : dir.durableChildren.entrySet()) {
            Path target = at.resolve(e.getKey());
            Node child = e.getValue();
            if (child.directory) {
                REAL.createDirectories(target);
                rebuild(child, target, staged);
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
        rootNode = new Node(nextId++, true);
        rootNode.path = root;
        nodes.put(root, rootNode);
        scan(rootNode, root);
    }

    private void scan(Node dir, Path path) {
        for (String name : REAL.list(path)) {
            Path p = path.resolve(name);
            Node node = new Node(nextId++, Files.isDirectory(p));
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

    private Node parentOf(Path p) {
        Node parent = nodes.get(p.getParent());
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
        maybeFail(Op.CREATE, p);
        Node parent = parentOf(p);
        WritableFile real = REAL.create(p);
        Node node = new Node(nextId++, false);
        node.path = p;
        parent.children.put(p.getFileName().toString(), node);
        nodes.put(p, node);
        return new FaultWritableFile(real, node, generation);
    }

    @Override
    public synchronized ReadableFile openRead(Path file) {
        Path p = checked(file);
        maybeFail(Op.READ, p);
        return REAL.openRead(p);
    }

    @Override
    public synchronized void createDirectories(Path dir) {
        Path p = checked(dir);
        if (nodes.containsKey(p)) {
            return;
        }
        createDirectories(p.getParent());
        maybeFail(Op.MKDIR, p);
        Node parent = parentOf(p);
        REAL.createDirectories(p);
        Node node = new Node(nextId++, true);
        node.path = p;
        parent.children.put(p.getFileName().toString(), node);
        nodes.put(p, node);
    }

    @Override
    public synchronized void syncDirectory(Path dir) {
        Path p = checked(dir);
        maybeFail(Op.SYNC_DIRECTORY, p);
        REAL.syncDirectory(p);
        Node node = nodes.get(p);
        node.durableChildren.clear();
        node.durableChildren.putAll(node.children);
    }

    @Override
    public synchronized void rename(Path source, Path target) {
        Path s = checked(source);
        Path t = checked(target);
        maybeFail(Op.RENAME, s);
        Node node = nodes.get(s);
        if (node == null) {
            throw StorageErrors.translate("rename", s, new java.nio.file.NoSuchFileException(s.toString()));
        }
        if (node.directory) {
            throw new IllegalArgumentException("renaming directories is not modelled: " + s);
        }
        Node targetParent = parentOf(t);
        Node replaced = nodes.get(t);
        if (replaced != null) {
            bury(replaced);
        }
        REAL.rename(s, t);
        parentOf(s).children.remove(s.getFileName().toString());
        nodes.remove(s);
        node.path = t;
        targetParent.children.put(t.getFileName().toString(), node);
        nodes.put(t, node);
    }

    /** Keeps the content of a file that leaves the namespace while a durable entry still names it. */
    private void bury(Node node) {
        usedBytes -= node.length;
        if (isDurablyNamed(node)) {
            Path grave = graveyard.resolve("grave-" + node.id);
            REAL.rename(node.path, grave);
            node.path = grave;
        } else {
            REAL.delete(node.path);
            node.path = null;
        }
    }

    private boolean isDurablyNamed(Node node) {
        return isDurablyNamedIn(rootNode, node);
    }

    private static boolean isDurablyNamedIn(Node dir, Node target) {
        for (Node child : dir.durableChildren.values()) {
            if (child == target || child.directory && isDurablyNamedIn(child, target)) {
                return true;
            }
        }
        return false;
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
        Node node = nodes.get(checked(path));
        return node != null && node.directory;
    }

    @Override
    public synchronized long size(Path file) {
        return REAL.size(checked(file));
    }

    @Override
    public synchronized void delete(Path path) {
        Path p = checked(path);
        Node node = nodes.get(p);
        if (node == null) {
            return;
        }
        maybeFail(Op.DELETE, p);
        if (node.directory) {
            REAL.delete(p);
            node.path = null;
        } else {
            bury(node);
        }
        parentOf(p).children.remove(p.getFileName().toString());
        nodes.remove(p);
    }

    private synchronized void write(FaultWritableFile file, ByteBuffer src) {
        file.checkGeneration();
        Path p = file.node.path;
        maybeFail(Op.WRITE, p);
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
            injected.add("ENOSPC " + p);
            throw StorageErrors.translate("write", p, new IOException("No space left on device"));
        }
        file.real.write(src);
        file.node.length += n;
        usedBytes += n;
    }

    private synchronized void sync(FaultWritableFile file) {
        file.checkGeneration();
        maybeFail(Op.SYNC, file.node.path);
        file.real.sync();
        file.node.durableLength = file.node.length;
    }

    private static final class Node {
        final int id;
        final boolean directory;
        final Map<String, Node> children = new TreeMap<>();
        final Map<String, Node> durableChildren = new TreeMap<>();
        long length;
        long durableLength;
        Path path;

        Node(int id, boolean directory) {
            this.id = id;
            this.directory = directory;
        }

        Path location() {
            return path;
        }
    }

    private final class FaultWritableFile implements WritableFile {
        final WritableFile real;
        final Node node;
        final long generation;
        final Path originalPath;

        FaultWritableFile(WritableFile real, Node node, long generation) {
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
