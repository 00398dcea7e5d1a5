package io.ballast.cache;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * One of the cache protocol's Lua scripts (resources next to this class), run by its SHA; loaded again when
 * the server has forgotten it (a restart, SCRIPT FLUSH). Each runs atomically on the server.
 */
public final class RedisScript {
    /** Applies an invalidation: version-fenced deletes and tombstones (see invalidate.lua). */
    public static final RedisScript INVALIDATE = new RedisScript("invalidate.lua");
    /** Fills an entry unless a tombstone or the entry itself is newer than what was read (see fill.lua). */
    public static final RedisScript FILL = new RedisScript("fill.lua");
    /** Reads an entry, or the tombstones a coming fill will be checked against (see lookup.lua). */
    public static final RedisScript LOOKUP = new RedisScript("lookup.lua");

    private final String name;
    private final String source;
    private volatile String sha;

    private RedisScript(String name) {
        this.name = name;
        try (InputStream in = RedisScript.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("script " + name + " is not on the classpath");
            }
            this.source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    /** Loads the script into the server and returns its SHA1. */
    public String load(UnifiedJedis redis) {
        sha = redis.scriptLoad(source);
        return sha;
    }

    /** The SHA1 to call it by (loading it first if needed). */
    public String sha(UnifiedJedis redis) {
        String known = sha;
        return known != null ? known : load(redis);
    }

    /** Runs the script. */
    public Object run(UnifiedJedis redis, List<String> keys, List<String> args) {
        try {
            return redis.evalsha(sha(redis), keys, args);
        } catch (JedisNoScriptException e) {
            return redis.evalsha(load(redis), keys, args);
        }
    }
}
