package io.ballast.invalidate;

import java.util.ArrayList;
import java.util.List;

/**
 * What a change invalidates, fenced by the entity's version: remove a cached entry only if it was filled
 * from an older version of {@code entity}. A change's closure may come as several invalidations (the nodes
 * one parallel instance took together in one, see {@link #combine}); across them each key appears once.
 */
public record Invalidation(String entity, long version, List<String> keys, List<String> tags, List<String> changeIds,
                           long occurredAt) {
    public Invalidation {
        keys = List.copyOf(keys);
        tags = List.copyOf(tags);
        changeIds = List.copyOf(changeIds);
    }

    /** How many keys and tags one invalidation names. */
    public int names() {
        return keys.size() + tags.size();
    }

    /**
     * The invalidations of one change's visits (same entity, version, changes and time) as few invalidations naming
     * the same keys and tags in the same order, none naming more than {@code maxNames} (unless one given did): one
     * record and one application in the cache per group of nodes instead of one per node.
     *
     * @throws IllegalArgumentException if they are not of one change
     */
    public static List<Invalidation> combine(List<Invalidation> ofOneChange, int maxNames) {
        if (ofOneChange.size() < 2) {
            return ofOneChange;
        }
        Invalidation first = ofOneChange.get(0);
        List<Invalidation> combined = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        for (Invalidation next : ofOneChange) {
            if (!next.entity.equals(first.entity) || next.version != first.version || !next.changeIds.equals(first.changeIds)
                    || next.occurredAt != first.occurredAt) {
                throw new IllegalArgumentException("not of one change: " + first + " and " + next);
            }
            boolean started = !keys.isEmpty() || !tags.isEmpty();
            if (started && keys.size() + tags.size() + next.names() > maxNames) {
                combined.add(first.naming(keys, tags));
                keys.clear();
                tags.clear();
            }
            keys.addAll(next.keys);
            tags.addAll(next.tags);
        }
        combined.add(first.naming(keys, tags));
        return combined;
    }

    private Invalidation naming(List<String> keys, List<String> tags) {
        return new Invalidation(entity, version, keys, tags, changeIds, occurredAt);
    }
}
