package io.tidemark.pipeline.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * docs/reliability.md X2: reader threads hammer the HTTP path while the job checkpoints every 100 ms and restarts once from
 * an injected failure. Every read is a consistent value (the generator's invariant holds), an explicit 503, or a 404
 * before the key's first record; a live value never exceeds the final one.
 */
class QueryReliabilityTest {
    private static final long COUNT = 500_000;
    private static final long ACCOUNTS = 20;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"offheap", "heap"})
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void readsDuringCheckpointsAndARestartAreCommittedOrUnavailableNeverTorn(String backend) throws Exception {
        long seed = System.nanoTime();
        System.out.println("X2 backend=" + backend + " seed=" + seed);
        LedgerProgram.FAIL_COUNTDOWN.set(COUNT / 3);
        ConcurrentHashMap<String, AtomicLong> statuses = new ConcurrentHashMap<>();
        List<String> torn = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        try (RunningJob job =
                RunningJob.start(QueryEndpointsTest.ledger(QueryEndpointsTest.config(dir, backend), COUNT, 100_000))) {
            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                SplittableRandom random = new SplittableRandom(seed + r);
                boolean atCheckpoint = r == 2;
                Thread reader =
                        new Thread(() -> hammer(job, random, atCheckpoint, stop, statuses, torn), "x2-reader-" + r);
                reader.setDaemon(true);
                readers.add(reader);
                reader.start();
            }
            job.result.get(150, TimeUnit.SECONDS);
            stop.set(true);
            for (Thread reader : readers) {
                reader.join(30_000);
            }
            System.out.println("X2 backend=" + backend + " statuses=" + statuses + " restarts="
                    + job.result.get().restarts());
            synchronized (torn) {
                assertThat(torn).isEmpty();
            }
            assertThat(job.result.get().restarts()).isEqualTo(1);
            assertThat(statuses.keySet()).allMatch(s -> s.endsWith(":200") || s.endsWith(":503") || s.endsWith(":404"));
            assertThat(statuses).containsKey("live:200");
            assertThat(statuses).as("at-checkpoint reads on " + backend).containsKey("checkpoint:200");
        } finally {
            LedgerProgram.FAIL_COUNTDOWN.set(0);
        }
    }

    private static void hammer(
            RunningJob job,
            SplittableRandom random,
            boolean atCheckpoint,
            AtomicBoolean stop,
            ConcurrentHashMap<String, AtomicLong> statuses,
            List<String> torn) {
        String kind = atCheckpoint ? "checkpoint" : "live";
        while (!stop.get()) {
            long account = random.nextLong(ACCOUNTS);
            try {
                RunningJob.Answer a = job.get("/state/sums/" + account + (atCheckpoint ? "?at=checkpoint" : ""));
                statuses.computeIfAbsent(kind + ":" + a.status(), k -> new AtomicLong())
                        .incrementAndGet();
                if (a.status() == 200) {
                    long count = a.body().get("count").asLong();
                    long volume = a.body().get("volume").asLong();
                    long notional = a.body().get("notional").asLong();
                    LedgerProgram.Sums last = LedgerProgram.expected(COUNT, ACCOUNTS, account);
                    if (!LedgerProgram.consistent(account, count, volume, notional) || count > last.count()) {
                        synchronized (torn) {
                            torn.add("account=" + account + " " + a.body());
                        }
                    }
                } else if (a.status() == 503 && atCheckpoint) {
                    // off-heap checkpoints are native: the reason must say so
                    String message = a.body().get("message").asText();
                    if (!message.contains("checkpoint")) {
                        synchronized (torn) {
                            torn.add("503 without a reason: " + message);
                        }
                    }
                }
            } catch (Exception e) {
                statuses.computeIfAbsent(kind + ":io-" + e.getClass().getSimpleName(), k -> new AtomicLong())
                        .incrementAndGet();
            }
        }
    }
}
