package io.tidemark.pipeline.marketstats;

import io.tidemark.ConfigurationException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The {@code --input} of market-stats: a CSV file, or {@code gen:N[,symbols=K][,seed=S][,rate=R]} for N generated
 * trades, optionally paced at R trades per second (for latency measurements at an offered load).
 *
 * @param file the CSV file, or {@code null} for generated input
 * @param rate trades per second offered by the generator, 0 for as fast as possible
 */
public record MarketStatsInput(Path file, long count, int symbols, long seed, long rate) {
    public MarketStatsInput(Path file, long count, int symbols, long seed) {
        this(file, count, symbols, seed, 0);
    }

    public static MarketStatsInput parse(String spec) {
        if (!spec.startsWith("gen:")) {
            return new MarketStatsInput(Path.of(spec), 0, 0, 0, 0);
        }
        String[] parts = spec.substring(4).split(",");
        long count;
        int symbols = 1000;
        long seed = 42;
        long rate = 0;
        try {
            count = parseCount(parts[0]);
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].split("=", 2);
                if (kv.length != 2) {
                    throw new ConfigurationException(
                            "generator option invalid: option=" + parts[i] + ", allowed=symbols=K, seed=S, rate=R");
                }
                switch (kv[0]) {
                    case "symbols" -> symbols = Integer.parseInt(kv[1]);
                    case "seed" -> seed = Long.parseLong(kv[1]);
                    case "rate" -> rate = parseCount(kv[1]);
                    default ->
                        throw new ConfigurationException(
                                "generator option unknown: option=" + kv[0] + ", allowed=symbols, seed, rate");
                }
            }
        } catch (NumberFormatException e) {
            throw new ConfigurationException(
                    "generator input invalid: input=" + spec + ", expected gen:N[,symbols=K][,seed=S][,rate=R]");
        }
        if (rate < 0 || count < 0 || symbols < 1 || symbols > 26 * 26 * 26 * 26) {
            throw new ConfigurationException("generator input out of range: count=" + count + ", symbols=" + symbols
                    + ", allowed=count>=0, symbols in [1, 456976]");
        }
        return new MarketStatsInput(null, count, symbols, seed, rate);
    }

    /** Accepts 20000000, 20M, 500k. */
    private static long parseCount(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("m")) {
            return Long.parseLong(t.substring(0, t.length() - 1)) * 1_000_000L;
        }
        if (t.endsWith("k")) {
            return Long.parseLong(t.substring(0, t.length() - 1)) * 1_000L;
        }
        return Long.parseLong(t);
    }

    public boolean generated() {
        return file == null;
    }

    @Override
    public String toString() {
        return generated()
                ? "gen:" + count + ",symbols=" + symbols + ",seed=" + seed + (rate > 0 ? ",rate=" + rate : "")
                : file.toString();
    }
}
