package io.ballast.invalidate;

import java.util.List;

/**
 * What a change invalidates, fenced by the entity's version: remove a cached entry only if it was filled
 * from an older version of {@code entity}. A change's closure may come as several invalidations (one per
 * visited node); across them each key appears once.
 */
public record Invalidation(String entity, long version, List<String> keys, List<String> tags, List<String> changeIds,
                           long occurredAt) {
    public Invalidation {
        keys = List.copyOf(keys);
        tags = List.copyOf(tags);
        changeIds = List.copyOf(changeIds);
    }
}
