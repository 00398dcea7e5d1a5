package io.ballast.cache;

import java.time.Duration;

/** Tells the invalidator what a cache key depends on (on ballast.cache.deps). */
public interface DependencyRegistrar extends AutoCloseable {

    /** Registers (or refreshes) the key's dependencies for {@code ttl}. */
    void register(String key, Dependencies dependencies, Duration ttl);

    @Override
    void close();
}
