package io.tidemark.pipeline.marketstats;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** One symbol's 1-minute window; {@link #toCsv()} is the output line format. */
public record WindowStats(
        long windowStart, String symbol, long count, long volume, long notionalTicks, long high, long low) {
    /** {@code window_start,symbol,count,volume,notional_ticks,vwap,high,low}; vwap HALF_EVEN to 4 digits. */
    public String toCsv() {
        return windowStart + "," + symbol + "," + count + "," + volume + "," + notionalTicks + "," + vwap() + ","
                + TradeCsv.formatPrice(high) + "," + TradeCsv.formatPrice(low);
    }

    public String vwap() {
        return BigDecimal.valueOf(notionalTicks)
                .divide(BigDecimal.valueOf(volume), 0, RoundingMode.HALF_EVEN)
                .movePointLeft(4)
                .setScale(4, RoundingMode.UNNECESSARY)
                .toPlainString();
    }
}
