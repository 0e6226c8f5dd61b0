package io.tidemark.pipeline.marketstats;

/** One trade: event time (epoch ms), symbol, price in ticks of 1/10000, quantity (positive). */
public record Trade(long timestamp, String symbol, long priceTicks, long quantity) {}
