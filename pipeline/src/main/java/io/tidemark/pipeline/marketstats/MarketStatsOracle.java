package io.tidemark.pipeline.marketstats;

import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes the expected market-stats output independently of the runtime: one thread, a plain map, BigDecimal and
 * BigInteger arithmetic, its own parsing. Used by the demo's verification and by the tests.
 */
public final class MarketStatsOracle {
    /** Expected output lines (sorted), and the counts of late and malformed records. */
    public record Expected(List<String> lines, long late, long malformed, long records) {}

    private static final class Acc {
        long count;
        BigInteger volume = BigInteger.ZERO;
        BigInteger notional = BigInteger.ZERO;
        BigDecimal high;
        BigDecimal low;
    }

    private MarketStatsOracle() {}

    public static Expected compute(MarketStatsInput input, long allowedLateness) throws IOException {
        Map<String, Acc> windows = new HashMap<>();
        long[] counters = new long[3];
        long[] max = {Long.MIN_VALUE};
        if (input.generated()) {
            TradeGenerator generator = new TradeGenerator(input.seed(), input.symbols());
            for (long n = 0; n < input.count(); n++) {
                Trade t = generator.trade(n);
                accept(
                        windows,
                        counters,
                        max,
                        allowedLateness,
                        t.timestamp(),
                        t.symbol(),
                        BigDecimal.valueOf(t.priceTicks(), 4),
                        t.quantity());
            }
        } else {
            try (BufferedReader reader = Files.newBufferedReader(input.file(), StandardCharsets.UTF_8)) {
                String line;
                boolean first = true;
                while ((line = reader.readLine()) != null) {
                    if (first && line.startsWith("ts_millis")) {
                        first = false;
                        continue;
                    }
                    first = false;
                    acceptLine(windows, counters, max, allowedLateness, line);
                }
            }
        }
        List<String> lines = new ArrayList<>(windows.size());
        for (Map.Entry<String, Acc> e : windows.entrySet()) {
            Acc a = e.getValue();
            BigDecimal vwap = new BigDecimal(a.notional)
                    .divide(new BigDecimal(a.volume).multiply(BigDecimal.valueOf(10_000)), 4, RoundingMode.HALF_EVEN);
            lines.add(e.getKey() + "," + a.count + "," + a.volume + "," + a.notional + "," + vwap.toPlainString() + ","
                    + a.high.setScale(4).toPlainString() + ","
                    + a.low.setScale(4).toPlainString());
        }
        Collections.sort(lines);
        return new Expected(lines, counters[0], counters[1], counters[2]);
    }

    private static void acceptLine(Map<String, Acc> windows, long[] counters, long[] max, long lateness, String line) {
        String[] f = line.split(",", -1);
        try {
            if (f.length != 4 || f[1].trim().isEmpty()) {
                throw new NumberFormatException("fields");
            }
            long ts = Long.parseLong(f[0]);
            if (!f[2].matches("[0-9]+(\\.[0-9]{1,4})?")) {
                throw new NumberFormatException("price");
            }
            BigDecimal price = new BigDecimal(f[2]);
            long qty = Long.parseLong(f[3]);
            if (qty <= 0
                    || price.movePointRight(4)
                                    .toBigInteger()
                                    .multiply(BigInteger.valueOf(qty))
                                    .bitLength()
                            > 63
                    || price.movePointRight(4).toBigInteger().bitLength() > 63) {
                throw new NumberFormatException("range");
            }
            accept(windows, counters, max, lateness, ts, f[1].trim(), price, qty);
        } catch (NumberFormatException e) {
            counters[1]++;
        }
    }

    private static void accept(
            Map<String, Acc> windows,
            long[] counters,
            long[] max,
            long lateness,
            long ts,
            String symbol,
            BigDecimal price,
            long qty) {
        if (max[0] != Long.MIN_VALUE && ts < max[0] - lateness) {
            counters[0]++;
            return;
        }
        max[0] = Math.max(max[0], ts);
        counters[2]++;
        long start = Math.floorDiv(ts, 60_000L) * 60_000L;
        Acc a = windows.computeIfAbsent(start + "," + symbol, k -> new Acc());
        a.count++;
        a.volume = a.volume.add(BigInteger.valueOf(qty));
        a.notional = a.notional.add(price.movePointRight(4).toBigIntegerExact().multiply(BigInteger.valueOf(qty)));
        a.high = a.high == null || price.compareTo(a.high) > 0 ? price : a.high;
        a.low = a.low == null || price.compareTo(a.low) < 0 ? price : a.low;
    }

    /** Every line of every committed {@code part-*.csv} in {@code dir}, sorted. */
    public static List<String> committedLines(Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(dir, "part-*.csv")) {
            for (Path part : parts) {
                lines.addAll(Files.readAllLines(part, StandardCharsets.UTF_8));
            }
        }
        Collections.sort(lines);
        return lines;
    }
}
