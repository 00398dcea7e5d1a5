package io.ballast.cache;

import java.util.ArrayList;
import java.util.List;

/**
 * What a cache entry depends on: entities of a source of truth ({@code user:42}), other cache keys, tags.
 * Built as {@code Dependencies.on().entity("user:42").tag("users")}.
 */
public record Dependencies(List<String> entities, List<String> keys, List<String> tags) {
    public Dependencies {
        entities = List.copyOf(entities);
        keys = List.copyOf(keys);
        tags = List.copyOf(tags);
    }

    /** No dependencies yet. */
    public static Dependencies on() {
        return new Dependencies(List.of(), List.of(), List.of());
    }

    public Dependencies entity(String entity) {
        return new Dependencies(plus(entities, entity), keys, tags);
    }

    public Dependencies key(String key) {
        return new Dependencies(entities, plus(keys, key), tags);
    }

    public Dependencies tag(String tag) {
        return new Dependencies(entities, keys, plus(tags, tag));
    }

    private static List<String> plus(List<String> list, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a dependency must name something");
        }
        List<String> copy = new ArrayList<>(list);
        if (!copy.contains(value)) {
            copy.add(value);
        }
        return copy;
    }
}
