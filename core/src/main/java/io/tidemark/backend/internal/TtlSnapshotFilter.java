package io.tidemark.backend.internal;

import io.tidemark.state.StateTtlConfig;
import io.tidemark.state.StateType;
import io.tidemark.state.ttl.TtlValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Drops expired TTL values from canonical values while a snapshot is written ("cleanup in snapshots"). */
final class TtlSnapshotFilter {
    private TtlSnapshotFilter() {}

    /**
     * The value without its expired parts, or {@code null} when nothing is left. Entries stamped before the first
     * watermark ({@link Long#MIN_VALUE}) are kept: see {@link TtlTime}.
     */
    static Object liveOrNull(StateType type, Object value, StateTtlConfig config, long now) {
        long ttl = config.ttlMillis();
        switch (type) {
            case LIST: {
                List<?> list = (List<?>) value;
                List<Object> live = new ArrayList<>(list.size());
                for (Object element : list) {
                    if (!expired(((TtlValue<?>) element).timestamp(), now, ttl)) {
                        live.add(element);
                    }
                }
                return live.isEmpty() ? null : live.size() == list.size() ? value : live;
            }
            case MAP: {
                Map<?, ?> map = (Map<?, ?>) value;
                Map<Object, Object> live = new HashMap<>();
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    if (!expired(((TtlValue<?>) entry.getValue()).timestamp(), now, ttl)) {
                        live.put(entry.getKey(), entry.getValue());
                    }
                }
                return live.isEmpty() ? null : live.size() == map.size() ? value : live;
            }
            default:
                return expired(((TtlValue<?>) value).timestamp(), now, ttl) ? null : value;
        }
    }

    private static boolean expired(long timestamp, long now, long ttl) {
        return timestamp != Long.MIN_VALUE && TtlTime.isExpired(timestamp, now, ttl);
    }
}
