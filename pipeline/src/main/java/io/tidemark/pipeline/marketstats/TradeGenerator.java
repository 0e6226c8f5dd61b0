package io.tidemark.pipeline.marketstats;

/**
 * Deterministic synthetic trades: trade {@code n} is a pure function of (seed, n), so a source resumes at any sequence
 * number without replaying. Symbols follow a Zipf distribution (exponent 1.1); timestamps advance 2 ms per trade with
 * about 1% of trades delayed by up to 5 s (late under a 0 ms lateness); prices stay within ±1% of a per-symbol base.
 */
public final class TradeGenerator {
    public static final long START_MILLIS = 1_767_225_600_000L;
    private static final double ZIPF_EXPONENT = 1.1;

    private final long seed;
    private final String[] symbols;
    private final double[] cumulative;

    public TradeGenerator(long seed, int symbolCount) {
        this.seed = seed;
        this.symbols = new String[symbolCount];
        this.cumulative = new double[symbolCount];
        double sum = 0;
        for (int i = 0; i < symbolCount; i++) {
            symbols[i] = symbolName(i);
            sum += 1.0 / Math.pow(i + 1, ZIPF_EXPONENT);
            cumulative[i] = sum;
        }
        for (int i = 0; i < symbolCount; i++) {
            cumulative[i] /= sum;
        }
    }

    public Trade trade(long n) {
        long h1 = mix(seed + n * 0x9E3779B97F4A7C15L);
        long h2 = mix(h1 ^ 0xD1B54A32D192ED03L);
        int symbol = zipf((h1 >>> 11) * 0x1.0p-53);
        long ts = START_MILLIS + n * 2;
        if ((h2 & 127) == 0) {
            ts -= (h2 >>> 8) % 5_000;
        }
        long base = 100_000L * (10 + symbol % 490);
        long price = base + ((h2 >>> 20) % (base / 50 + 1)) - base / 100;
        long qty = 1 + ((h2 >>> 40) % 500);
        return new Trade(ts, symbols[symbol], price, qty);
    }

    private int zipf(double u) {
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    static String symbolName(int index) {
        char[] name = new char[4];
        int v = index;
        for (int i = 3; i >= 0; i--) {
            name[i] = (char) ('A' + v % 26);
            v /= 26;
        }
        return new String(name);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
