package io.tidemark.checkpoint.fs;

import io.tidemark.checkpoint.fs.FaultInjectingFileSystem.Op;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Which operations of a {@link FaultInjectingFileSystem} fail or stall: seeded random EIO, the n-th operation of a
 * kind, delays, and a power cut after n operations. Guarded by the file system's lock.
 */
final class FaultSchedule {
    private Random random = new Random(0);
    private double eioProbability;
    private Set<Op> eioOps = EnumSet.noneOf(Op.class);
    private final Map<Op, Integer> failCountdown = new EnumMap<>(Op.class);
    private final Map<Op, Long> delayNanos = new EnumMap<>(Op.class);
    private final List<String> injected = new ArrayList<>();
    private final Map<Op, List<Path>> performed = new EnumMap<>(Op.class);
    private long powerCutCountdown = -1;
    private boolean powerCut;

    void setRandomFailures(long seed, double probability, Set<Op> ops) {
        random = new Random(seed);
        eioProbability = probability;
        eioOps = ops.isEmpty() ? EnumSet.noneOf(Op.class) : EnumSet.copyOf(ops);
    }

    void failNth(Op op, int n) {
        failCountdown.put(op, n);
    }

    void setDelay(Op op, long nanos) {
        delayNanos.put(op, nanos);
    }

    void cutPowerAfter(long operations) {
        powerCutCountdown = operations;
    }

    boolean isPowerCut() {
        return powerCut;
    }

    /** Power is back: operations work again (the file system has rewritten the tree to its durable state). */
    void reboot() {
        powerCut = false;
        powerCutCountdown = -1;
    }

    void clear() {
        eioProbability = 0;
        eioOps = EnumSet.noneOf(Op.class);
        failCountdown.clear();
        delayNanos.clear();
    }

    List<String> injected() {
        return List.copyOf(injected);
    }

    /** The paths {@code op} was attempted on, in order, since the last {@link #clearPerformed()}. */
    List<Path> performed(Op op) {
        return List.copyOf(performed.getOrDefault(op, List.of()));
    }

    void clearPerformed() {
        performed.clear();
    }

    void log(String fault) {
        injected.add(fault);
    }

    /** Stalls or fails {@code op} on {@code path} as scheduled; failures are EIO, translated like real ones. */
    void check(Op op, Path path) {
        performed.computeIfAbsent(op, o -> new ArrayList<>()).add(path);
        if (!powerCut && powerCutCountdown >= 0 && op != Op.READ && powerCutCountdown-- == 0) {
            powerCut = true;
            injected.add("POWER CUT at " + op + " " + path);
        }
        if (powerCut) {
            throw StorageErrors.translate(
                    op.name().toLowerCase(Locale.ROOT), path, new IOException("simulated power cut"));
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
                    op.name().toLowerCase(Locale.ROOT), path, new IOException("Input/output error"));
        }
    }
}
