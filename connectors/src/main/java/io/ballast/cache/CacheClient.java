package io.ballast.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import redis.clients.jedis.UnifiedJedis;

/**
 * The cache clients' half of the invalidation protocol, over Redis. {@link #getOrLoad} returns the cached
 * value, or loads it and fills the cache with the versions it read: the fill is atomic (one Lua script) and
 * refused when an invalidation newer than the read was applied in between (its tombstone outlives
 * {@code maxLoadTime}), so a slow reader never puts back data a change made stale. The key's dependencies
 * are indexed in Redis with the entry and registered with the invalidator.
 *
 * <p>Layout: an entry is a hash (field {@code v} the value, {@code @entity} the version read) with a TTL;
 * tombstones ({@code ballast:tomb:KEY}, {@code ballast:etomb:ENTITY}, {@code ballast:ttomb:TAG}) expire;
 * the index sets ({@code ballast:dep:ENTITY}, {@code ballast:tag:TAG}) have no TTL, so a {@code volatile-*}
 * eviction policy never evicts them (the sink refuses an {@code allkeys-*} policy).
 */
public final class CacheClient {
    private final UnifiedJedis redis;
    private final DependencyRegistrar registrar;
    private final Settings settings;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder refused = new LongAdder();

    /**
     * @param entryTtl        how long an entry lives (its registration lives as long)
     * @param maxLoadTime     a load that took longer is returned but not cached; must stay below the sink's
     *                        tombstone TTL, which is what fences slow fills
     */
    public record Settings(Duration entryTtl, Duration maxLoadTime) {
        public static final Settings DEFAULTS = new Settings(Duration.ofHours(1), Duration.ofSeconds(10));

        public Settings {
            if (entryTtl.isNegative() || entryTtl.isZero() || maxLoadTime.isNegative() || maxLoadTime.isZero()) {
                throw new IllegalArgumentException("entryTtl and maxLoadTime must be positive");
            }
        }
    }

    /** What the client did, for metrics and tests. */
    public record Stats(long hits, long misses, long refusedFills) {
    }

    public CacheClient(UnifiedJedis redis, DependencyRegistrar registrar, Settings settings) {
        this.redis = redis;
        this.registrar = registrar;
        this.settings = settings;
    }

    /** The cached value of {@code key}, or the loader's, cached unless a newer invalidation forbids it. */
    public String getOrLoad(String key, Loader loader, Dependencies dependencies) throws Exception {
        List<String> lookupArgs = new ArrayList<>();
        lookupArgs.add(Integer.toString(dependencies.entities().size()));
        lookupArgs.addAll(dependencies.entities());
        lookupArgs.add(Integer.toString(dependencies.tags().size()));
        lookupArgs.addAll(dependencies.tags());
        List<?> found = (List<?>) RedisScript.LOOKUP.run(redis, List.of(key), lookupArgs);
        if (((Long) found.get(0)) == 1L) {
            hits.increment();
            return (String) found.get(1);
        }
        misses.increment();
        Map<String, Long> read = new HashMap<>();
        for (int i = 1; i + 1 < found.size(); i += 2) {
            read.put((String) found.get(i), Long.parseLong((String) found.get(i + 1)));
        }
        dependencies.entities().forEach(entity -> read.putIfAbsent(entity, 0L));
        long started = System.nanoTime();
        Loaded loaded = loader.load();
        if (System.nanoTime() - started > settings.maxLoadTime().toNanos()) {
            refused.increment();
            return loaded.value();
        }
        loaded.versions().forEach((entity, version) -> read.merge(entity, version, Math::max));
        if (!fill(key, loaded.value(), read, dependencies.tags())) {
            refused.increment();
        }
        registrar.register(key, dependencies, settings.entryTtl());
        return loaded.value();
    }

    private boolean fill(String key, String value, Map<String, Long> read, List<String> tags) {
        List<String> args = new ArrayList<>();
        args.add(value);
        args.add(Long.toString(settings.entryTtl().toMillis()));
        args.add(Integer.toString(read.size()));
        read.forEach((entity, version) -> {
            args.add(entity);
            args.add(Long.toString(version));
        });
        args.add(Integer.toString(tags.size()));
        args.addAll(tags);
        List<?> result = (List<?>) RedisScript.FILL.run(redis, List.of(key), args);
        return ((Long) result.get(0)) == 1L;
    }

    public Stats stats() {
        return new Stats(hits.sum(), misses.sum(), refused.sum());
    }
}
