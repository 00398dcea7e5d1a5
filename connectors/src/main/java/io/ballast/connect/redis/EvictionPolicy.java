package io.ballast.connect.redis;

import java.util.List;

import redis.clients.jedis.Protocol;
import redis.clients.jedis.util.SafeEncoder;
import redis.clients.jedis.UnifiedJedis;

/**
 * Why the index must not be evictable, checked: the sink finds an entry's keys through sets without a
 * TTL; under {@code noeviction} or a {@code volatile-*} policy Redis never evicts a key without a TTL,
 * under {@code allkeys-*} it may, and a lost index set means invalidations that silently find nothing.
 */
public final class EvictionPolicy {
    private EvictionPolicy() {
    }

    /** The server's maxmemory-policy. */
    public static String of(UnifiedJedis redis) {
        List<?> reply = (List<?>) redis.sendCommand(Protocol.Command.CONFIG, "GET", "maxmemory-policy");
        return reply.size() < 2 ? "unknown" : SafeEncoder.encode((byte[]) reply.get(1));
    }

    /** Refuses a policy that may evict keys without a TTL, saying what to set. */
    public static void requireSafe(UnifiedJedis redis) {
        String policy = of(redis);
        if (!policy.equals("noeviction") && !policy.startsWith("volatile-")) {
            throw new IllegalStateException("Redis maxmemory-policy is " + policy + ": it may evict the invalidation index "
                    + "(ballast:dep:*, ballast:tag:*), which silently loses invalidations. Set a volatile-* policy "
                    + "(CONFIG SET maxmemory-policy volatile-lru) or noeviction, or run the index on a Redis of its own.");
        }
    }
}
