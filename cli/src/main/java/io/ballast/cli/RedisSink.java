package io.ballast.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import io.ballast.connect.EmbeddedConnect;
import io.ballast.connect.redis.RedisSinkConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * The Kafka Connect worker of {@code ballast up} and its Redis invalidation sink: the worker runs from the
 * start; the sink is created once the configured Redis answers (Redis is not embedded: a cache is the
 * user's, and {@code up} says how to start one).
 */
final class RedisSink implements AutoCloseable {
    private final EmbeddedConnect connect;
    private final Platform platform;
    private final URI redis;
    private boolean created;

    private RedisSink(EmbeddedConnect connect, Platform platform, URI redis) {
        this.connect = connect;
        this.platform = platform;
        this.redis = redis;
    }

    static RedisSink start(Platform platform, Path dir, int restPort, String redisUri) throws Exception {
        URI uri = URI.create(redisUri);
        if (!"redis".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("--redis must be redis://HOST:PORT, got " + redisUri);
        }
        RedisSink sink = new RedisSink(EmbeddedConnect.start(new io.ballast.client.KafkaClients(platform.clients()), dir, restPort), platform, uri);
        sink.startWhenRedisAnswers(null);
        return sink;
    }

    /** Creates the sink if it is not there yet and Redis answers now; says so on {@code out}. */
    void startWhenRedisAnswers(PrintWriter out) {
        if (created || !answers()) {
            return;
        }
        try {
            // the client configuration travels as a file only this user reads: Connect's REST API shows the connector's config
            java.nio.file.Path clients = platform.clients().writeTo(platform.dataDir().resolve("connect").resolve("client.properties"));
            connect.putRedisSink(Map.of(RedisSinkConfig.REDIS_URI, redis.toString(), RedisSinkConfig.CLIENT_CONFIG, clients.toString()));
            created = true;
            if (out != null) {
                out.println("Redis answers at " + redis + ": the invalidation sink is running");
                out.flush();
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not create the Redis sink: " + e.getMessage(), e);
        }
    }

    private boolean answers() {
        int port = redis.getPort() < 0 ? 6379 : redis.getPort();
        try (Jedis jedis = new Jedis(new HostAndPort(redis.getHost(), port),
                DefaultJedisClientConfig.builder().connectionTimeoutMillis(500).socketTimeoutMillis(500).build())) {
            return "PONG".equals(jedis.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    String restUrl() {
        return connect.restUrl();
    }

    /** One line for {@code up}'s summary. */
    String describe() {
        if (created) {
            return redis + "  (invalidation sink " + connect.state(EmbeddedConnect.REDIS_SINK) + ")";
        }
        return redis + " does not answer: start one with `redis-server --port " + (redis.getPort() < 0 ? 6379 : redis.getPort())
                + " --maxmemory-policy volatile-lru` (Debian: apt-get install redis-server); the sink starts when it answers";
    }

    @Override
    public void close() {
        connect.close();
    }
}
