package io.tidemark.pipeline.queryable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ServiceLoader;

/**
 * The one JSON mapper of the query endpoint (thread-safe once configured). Field names are snake_case; jobs adjust how
 * their value types are published through {@link QueryJsonExtension}s, found with {@link ServiceLoader} when this class
 * is initialised.
 */
public final class QueryJson {
    public static final ObjectMapper MAPPER = create();

    private QueryJson() {}

    private static ObjectMapper create() {
        ObjectMapper mapper = new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        for (QueryJsonExtension extension :
                ServiceLoader.load(QueryJsonExtension.class, QueryJson.class.getClassLoader())) {
            extension.configure(mapper);
        }
        return mapper;
    }
}
