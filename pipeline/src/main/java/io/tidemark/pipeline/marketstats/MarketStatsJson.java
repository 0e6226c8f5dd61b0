package io.tidemark.pipeline.marketstats;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemark.pipeline.queryable.QueryJsonExtension;

/**
 * Publishes {@code Totals.notional} as {@code notional_ticks}, the unit the query contract names, keeping count and
 * volume.
 */
public final class MarketStatsJson implements QueryJsonExtension {
    @Override
    public void configure(ObjectMapper mapper) {
        mapper.addMixIn(MarketStatsFunction.Totals.class, TotalsJson.class);
    }

    /** Renames {@code notional} to {@code notional_ticks}. */
    abstract static class TotalsJson {
        @JsonProperty("notional_ticks")
        abstract long notional();
    }
}
