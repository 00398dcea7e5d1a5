package io.ballast.cache;

import java.util.Map;

/**
 * What a loader read from the source of truth: the value to cache and the version of each entity it read.
 * Reporting the versions is what lets the cache keep a value that is newer than an invalidation racing it,
 * and index the entry under those entities at once (before its registration reaches the invalidator).
 */
public record Loaded(String value, Map<String, Long> versions) {
    public Loaded {
        if (value == null) {
            throw new IllegalArgumentException("a loader must return a value (cache the absence explicitly)");
        }
        versions = Map.copyOf(versions);
    }

    /** A value read without knowing the versions: fenced by the tombstones seen before the read. */
    public static Loaded unversioned(String value) {
        return new Loaded(value, Map.of());
    }
}
