package io.tidemark.pipeline.marketstats;

import io.tidemark.pipeline.connectors.MalformedRecordException;

/**
 * The {@code ts_millis,symbol,price,qty} format: price a decimal with up to 4 fraction digits (fixed-point ticks of
 * 1/10000), qty a positive integer. Parsing rejects, with a reason, anything else (field count, empty symbol,
 * non-digits, more than 4 fraction digits, non-positive quantity, overflow).
 */
public final class TradeCsv {
    private static final long MAX_PRICE_UNITS = 100_000_000_000_000L;

    private TradeCsv() {}

    public static Trade parse(String line) {
        int a = line.indexOf(',');
        int b = a < 0 ? -1 : line.indexOf(',', a + 1);
        int c = b < 0 ? -1 : line.indexOf(',', b + 1);
        if (c < 0 || line.indexOf(',', c + 1) >= 0) {
            throw new MalformedRecordException("expected 4 fields ts_millis;symbol;price;qty");
        }
        long ts = parseLong(line, 0, a, "ts_millis");
        String symbol = line.substring(a + 1, b).trim();
        if (symbol.isEmpty()) {
            throw new MalformedRecordException("empty symbol");
        }
        long price = parsePrice(line, b + 1, c);
        long qty = parseLong(line, c + 1, line.length(), "qty");
        if (qty <= 0) {
            throw new MalformedRecordException("qty not positive: qty=" + qty);
        }
        if (Math.multiplyHigh(price, qty) != 0 || price * qty < 0) {
            throw new MalformedRecordException("notional out of range: price_ticks*qty exceeds a long");
        }
        return new Trade(ts, symbol, price, qty);
    }

    public static String format(Trade t) {
        return t.timestamp() + "," + t.symbol() + "," + formatPrice(t.priceTicks()) + "," + t.quantity();
    }

    /** Ticks as a decimal with exactly 4 fraction digits. */
    public static String formatPrice(long ticks) {
        String sign = ticks < 0 ? "-" : "";
        long abs = Math.abs(ticks);
        long frac = abs % 10_000;
        return sign + (abs / 10_000) + "." + (frac < 10 ? "000" : frac < 100 ? "00" : frac < 1000 ? "0" : "") + frac;
    }

    private static long parseLong(String s, int from, int to, String field) {
        if (from >= to) {
            throw new MalformedRecordException("empty " + field);
        }
        long value = 0;
        boolean negative = s.charAt(from) == '-';
        int i = negative ? from + 1 : from;
        if (i >= to) {
            throw new MalformedRecordException("invalid " + field);
        }
        for (; i < to; i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') {
                throw new MalformedRecordException("invalid " + field + ": not an integer");
            }
            if (value > (Long.MAX_VALUE - 9) / 10) {
                throw new MalformedRecordException(field + " out of range");
            }
            value = value * 10 + (ch - '0');
        }
        return negative ? -value : value;
    }

    private static long parsePrice(String s, int from, int to) {
        int dot = -1;
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == '.') {
                dot = i;
                break;
            }
        }
        int intEnd = dot < 0 ? to : dot;
        if (intEnd == from) {
            throw new MalformedRecordException("invalid price: no integer part");
        }
        long units = 0;
        for (int i = from; i < intEnd; i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') {
                throw new MalformedRecordException("invalid price: not a non-negative decimal");
            }
            units = units * 10 + (ch - '0');
            if (units > MAX_PRICE_UNITS) {
                throw new MalformedRecordException("price out of range");
            }
        }
        long frac = 0;
        int digits = 0;
        if (dot >= 0) {
            for (int i = dot + 1; i < to; i++) {
                char ch = s.charAt(i);
                if (ch < '0' || ch > '9') {
                    throw new MalformedRecordException("invalid price: not a non-negative decimal");
                }
                if (++digits > 4) {
                    throw new MalformedRecordException("price has more than 4 fraction digits");
                }
                frac = frac * 10 + (ch - '0');
            }
            if (digits == 0) {
                throw new MalformedRecordException("invalid price: no fraction digits after the point");
            }
        }
        for (int i = digits; i < 4; i++) {
            frac *= 10;
        }
        return units * 10_000 + frac;
    }
}
