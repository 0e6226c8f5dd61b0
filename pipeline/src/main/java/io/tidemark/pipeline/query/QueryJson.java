package io.tidemark.pipeline.query;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tidemark.pipeline.marketstats.MarketStatsFunction;

/**
 * The one JSON mapper of the query endpoint (thread-safe once configured). Field names are snake_case; market-stats'
 * {@code Totals.notional} is published as {@code notional_ticks}, the unit the contract names.
 */
public final class QueryJson {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .addMixIn(MarketStatsFunction.Totals.class, TotalsJson.class);

    private QueryJson() {}

    /** Renames {@code notional} to {@code notional_ticks}, keeping count and volume. */
    abstract static class TotalsJson {
        @JsonProperty("notional_ticks")
        abstract long notional();
    }
}
