package io.ballast.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.ballast.catalog.TopicInitializer;
import io.ballast.catalog.Topics;
import io.ballast.connect.redis.EvictionPolicy;
import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.RedisServer;
import io.ballast.embedded.junit.WithKafka;
import io.ballast.embedded.junit.WithRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/**
 * The cache protocol's scripts on a real redis-server: fills carry the versions they read, invalidations
 * delete only older entries and leave tombstones that refuse fills of data read before them, tags remove
 * their keys, and the index survives eviction under a volatile policy.
 */
@WithKafka
@WithRegistry
class CacheProtocolTest {
    private static final long TOMBSTONE_TTL = 60_000;
    private static RedisServer server;
    private static JedisPooled redis;
    private static KafkaDependencyRegistrar registrar;
    private CacheClient client;

    @BeforeAll
    static void start(EmbeddedKafka kafka, ApicurioRegistry registry) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicInitializer(admin, (short) 1).ensure(List.of(Topics.CACHE_DEPS));
        }
        server = RedisServer.start();
        redis = new JedisPooled(java.net.URI.create(server.uri()));
        registrar = new KafkaDependencyRegistrar(kafka.bootstrapServers(), registry.url(), "cache-protocol-test");
    }

    @AfterAll
    static void stop() {
        registrar.close();
        redis.close();
        server.close();
    }

    @BeforeEach
    void clean() {
        redis.flushAll();
        client = new CacheClient(redis, registrar, CacheClient.Settings.DEFAULTS);
    }

    private static long invalidate(String entity, long version, List<String> keys, List<String> tags) {
        List<String> args = new ArrayList<>(List.of(entity, Long.toString(version), Long.toString(TOMBSTONE_TTL), Integer.toString(keys.size())));
        keys.forEach(k -> args.addAll(List.of(k, Long.toString(version))));
        args.add(Integer.toString(tags.size()));
        tags.forEach(t -> args.addAll(List.of(t, Long.toString(version))));
        return (Long) RedisScript.INVALIDATE.run(redis, List.of(), args);
    }

    @Test
    void anInvalidationRemovesOnlyEntriesFilledFromOlderVersions() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        Loader v2 = () -> {
            loads.incrementAndGet();
            return new Loaded("alice@2", Map.of("user:1", 2L));
        };
        assertEquals("alice@2", client.getOrLoad("profile:1", v2, Dependencies.on().entity("user:1")));
        assertEquals("alice@2", client.getOrLoad("profile:1", v2, Dependencies.on().entity("user:1")));
        assertEquals(1, loads.get());
        // a late invalidation of version 2 (the entry read version 2) keeps it; version 3 removes it
        assertEquals(0, invalidate("user:1", 2, List.of("profile:1"), List.of()));
        assertTrue(redis.exists("profile:1"));
        // found through the index the fill wrote, without being listed
        assertEquals(1, invalidate("user:1", 3, List.of(), List.of()));
        assertFalse(redis.exists("profile:1"));
        assertEquals(new CacheClient.Stats(1, 1, 0), client.stats());
    }

    @Test
    void aFillThatReadDataOlderThanAnInvalidationAppliedMeanwhileIsRefused() throws Exception {
        // the loader reads version 4, then the change to 5 is committed and its invalidation applied, then the fill
        Loader slow = () -> {
            invalidate("user:2", 5, List.of("profile:2"), List.of());
            return new Loaded("bob@4", Map.of("user:2", 4L));
        };
        assertEquals("bob@4", client.getOrLoad("profile:2", slow, Dependencies.on().entity("user:2")));
        assertFalse(redis.exists("profile:2"), "a value read before the change must not be cached after its invalidation");
        assertEquals("bob@5", client.getOrLoad("profile:2", () -> new Loaded("bob@5", Map.of("user:2", 5L)),
                Dependencies.on().entity("user:2")));
        assertEquals("5", redis.hget("profile:2", "@user:2"));
        // an older fill never replaces a newer entry
        redis.del("ballast:tomb:profile:2", "ballast:etomb:user:2");
        List<?> older = (List<?>) RedisScript.FILL.run(redis, List.of("profile:2"), List.of("bob@3", "60000", "1", "user:2", "3", "0"));
        assertEquals(List.of(0L, "the entry holds user:2 at version 5, newer than the fill read"), older);
    }

    @Test
    void anUnversionedReadIsFencedByTheTombstonesSeenBeforeIt() throws Exception {
        invalidate("user:3", 7, List.of("profile:3"), List.of());
        // invalidation applied before the read: the read saw version 7 at least, so the fill is kept
        assertEquals("carol", client.getOrLoad("profile:3", () -> Loaded.unversioned("carol"), Dependencies.on().entity("user:3")));
        assertEquals("7", redis.hget("profile:3", "@user:3"));
        redis.del("profile:3");
        // applied during the read: refused
        assertEquals("carol?", client.getOrLoad("profile:3", () -> {
            invalidate("user:3", 8, List.of(), List.of());
            return Loaded.unversioned("carol?");
        }, Dependencies.on().entity("user:3")));
        assertFalse(redis.exists("profile:3"));
    }

    @Test
    void aTagInvalidationRemovesEveryKeyOfTheTagAndFencesItsFills() throws Exception {
        client.getOrLoad("users-list", () -> Loaded.unversioned("[alice,bob]"), Dependencies.on().tag("user"));
        client.getOrLoad("users-count", () -> Loaded.unversioned("2"), Dependencies.on().tag("user"));
        client.getOrLoad("orders-list", () -> Loaded.unversioned("[]"), Dependencies.on().tag("order"));
        assertEquals(2, invalidate("user:9", 1, List.of(), List.of("user")));
        assertEquals(List.of(false, false, true), List.of(redis.exists("users-list"), redis.exists("users-count"),
                redis.exists("orders-list")));
        client.getOrLoad("users-list", () -> {
            invalidate("user:10", 1, List.of(), List.of("user"));
            return Loaded.unversioned("[alice,bob]");
        }, Dependencies.on().tag("user"));
        assertFalse(redis.exists("users-list"));
    }

    @Test
    void theIndexIsNotEvictedUnderAVolatilePolicyAndAnAllkeysPolicyIsRefused() throws Exception {
        try (RedisServer small = RedisServer.start("volatile-lru", 4L * 1024 * 1024);
             JedisPooled r = new JedisPooled(java.net.URI.create(small.uri()))) {
            CacheClient tight = new CacheClient(r, registrar, CacheClient.Settings.DEFAULTS);
            String big = "x".repeat(4096);
            int keys = 3000; // 12 MB of values into 4 MB
            for (int i = 0; i < keys; i++) {
                tight.getOrLoad("k" + i, () -> Loaded.unversioned(big), Dependencies.on().entity("e:" + (i % 10)).tag("t"));
            }
            long entries = 0;
            for (int i = 0; i < keys; i++) {
                entries += r.exists("k" + i) ? 1 : 0;
            }
            assertTrue(entries < keys / 2, "entries were evicted: " + entries + " of " + keys + " left");
            long indexed = 0;
            for (int e = 0; e < 10; e++) {
                indexed += r.scard("ballast:dep:e:" + e);
            }
            assertEquals(keys, indexed, "every fill stays indexed under its entity");
            assertEquals(keys, r.scard("ballast:tag:t"));
            EvictionPolicy.requireSafe(r);
        }
        try (RedisServer unsafe = RedisServer.start("allkeys-lru", 0); JedisPooled r = new JedisPooled(java.net.URI.create(unsafe.uri()))) {
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> EvictionPolicy.requireSafe(r));
            assertTrue(refused.getMessage().startsWith("Redis maxmemory-policy is allkeys-lru: it may evict the invalidation index"),
                    refused.getMessage());
        }
    }

    @Test
    void settingsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new CacheClient.Settings(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> Dependencies.on().entity(" "));
    }
}
