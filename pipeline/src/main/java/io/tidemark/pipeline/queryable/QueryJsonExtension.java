package io.tidemark.pipeline.queryable;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Adjusts how a job's state value types are published as query JSON (mix-ins, serializers), so that generic code never
 * imports a job. Registered in {@code META-INF/services/io.tidemark.pipeline.queryable.QueryJsonExtension}; applied
 * once, when {@link QueryJson} is initialised, before the mapper is used.
 */
public interface QueryJsonExtension {
    /** Configures {@code mapper}; called once, on the thread that first touches {@link QueryJson}. */
    void configure(ObjectMapper mapper);
}
