package io.tidemark.pipeline.shm;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.pipeline.query.LedgerProgram;
import java.nio.file.Files;
import java.nio.file.Path;
import org.HdrHistogram.Histogram;

/**
 * The second JVM of {@link ShmViewTest}: reads {@code sums} of every account from the shared-memory view until the
 * stop file appears, checking each value against the generator's invariant, then prints the final values.
 * Args: DIR ACCOUNTS STOP_FILE.
 */
public final class ShmReaderMain {
    private ShmReaderMain() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int accounts = Integer.parseInt(args[1]);
        Path stop = Path.of(args[2]);
        Histogram latency = new Histogram(3);
        long reads = 0;
        long found = 0;
        long torn = 0;
        try (TidemarkStateReader reader = TidemarkStateReader.open(dir)) {
            System.out.println("READER_READY");
            long waitStart = System.nanoTime();
            while (!reader.hasState("sums") && !Files.exists(stop)) {
                Thread.onSpinWait();
            }
            reader.getBytes("sums", "0"); // maps the file: seconds on a cold JVM, not part of the read latency
            System.out.println("STATE_FILE_OPEN after_ms=" + (System.nanoTime() - waitStart) / 1_000_000);
            while (!Files.exists(stop)) {
                for (int a = 0; a < accounts; a++) {
                    String key = Integer.toString(a);
                    long start = System.nanoTime();
                    byte[] value = reader.getBytes("sums", key);
                    latency.recordValue(System.nanoTime() - start);
                    reads++;
                    if (value != null) {
                        if (found == 0) {
                            System.out.println("FIRST_FOUND reads=" + reads);
                        }
                        found++;
                        JsonNode v = io.tidemark.pipeline.queryable.QueryJson.MAPPER.readTree(value);
                        if (!LedgerProgram.consistent(
                                a,
                                v.get("count").asLong(),
                                v.get("volume").asLong(),
                                v.get("notional").asLong())) {
                            torn++;
                            System.out.println("TORN account=" + a + " value=" + v);
                        }
                    }
                }
            }
            System.out.printf(
                    "READS reads=%d found=%d torn=%d median_ns=%d p99_ns=%d%n",
                    reads, found, torn, latency.getValueAtPercentile(50), latency.getValueAtPercentile(99));
            for (int a = 0; a < accounts; a++) {
                System.out.println("FINAL " + a + " " + reader.getJson("sums", Integer.toString(a)));
            }
        }
        System.out.println("READER_DONE");
    }
}
