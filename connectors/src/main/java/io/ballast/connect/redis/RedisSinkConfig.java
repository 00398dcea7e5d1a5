package io.ballast.connect.redis;

import java.net.URI;
import java.util.Map;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The Redis invalidation sink's settings, every key documented in {@link #DEFINITION} and validated when
 * the connector starts.
 */
public final class RedisSinkConfig extends AbstractConfig {
    public static final String REDIS_URI = "redis.uri";
    public static final String REGISTRY_URL = "registry.url";
    public static final String DLQ_BOOTSTRAP_SERVERS = "dlq.bootstrap.servers";
    public static final String CLIENT_CONFIG = "client.config";
    public static final String TOMBSTONE_TTL_MS = "tombstone.ttl.ms";
    public static final String REQUIRE_SAFE_EVICTION = "redis.require.safe.eviction";

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(REDIS_URI, Type.STRING, "redis://127.0.0.1:6379", Importance.HIGH,
                    "The Redis server (standalone or a primary; not Redis Cluster: the scripts touch keys across slots).")
            .define(REGISTRY_URL, Type.STRING, "http://127.0.0.1:8081/apis/ccompat/v7", Importance.HIGH,
                    "Schema registry (Confluent API) the invalidations are decoded with.")
            .define(DLQ_BOOTSTRAP_SERVERS, Type.STRING, "127.0.0.1:9092", Importance.MEDIUM,
                    "Kafka brokers of ballast.dlq, where records that are not invalidations go with the reason.")
            .define(CLIENT_CONFIG, Type.STRING, "", Importance.MEDIUM,
                    "A client configuration file (Kafka client keys such as security.protocol, sasl.*, ssl.*; registry.url and the "
                            + "registry's credentials) for the dead-letter producer and the registry; when given, its bootstrap.servers "
                            + "and registry.url are used instead of dlq.bootstrap.servers and registry.url. Secrets stay in the file: "
                            + "the connector's configuration, which Connect's REST API shows, holds only its path.")
            .define(TOMBSTONE_TTL_MS, Type.LONG, 60_000L, ConfigDef.Range.atLeast(1000), Importance.HIGH,
                    "How long a tombstone fences fills; must outlive the slowest fill (the cache clients' maxLoadTime, 10 s by default).")
            .define(REQUIRE_SAFE_EVICTION, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Refuse to start unless Redis's maxmemory-policy keeps keys without a TTL (noeviction or volatile-*): "
                            + "an evicted index set silently loses invalidations.");

    public RedisSinkConfig(Map<String, String> props) {
        super(DEFINITION, props);
        try {
            URI uri = URI.create(getString(REDIS_URI));
            if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
                throw new ConfigException(REDIS_URI, getString(REDIS_URI), "must be redis://HOST:PORT or rediss://HOST:PORT");
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException(REDIS_URI, getString(REDIS_URI), "not a URI: " + e.getMessage());
        }
    }

    public URI redisUri() {
        return URI.create(getString(REDIS_URI));
    }

    public String registryUrl() {
        return getString(REGISTRY_URL);
    }

    /** The client configuration of the dead-letter producer and the registry client. */
    public io.ballast.client.ClientConfig clients() {
        String file = getString(CLIENT_CONFIG);
        return file.isBlank() ? io.ballast.client.ClientConfig.of(dlqBootstrapServers(), registryUrl())
                : io.ballast.client.ClientConfig.load(java.nio.file.Path.of(file));
    }

    public String dlqBootstrapServers() {
        return getString(DLQ_BOOTSTRAP_SERVERS);
    }

    public long tombstoneTtlMs() {
        return getLong(TOMBSTONE_TTL_MS);
    }

    public boolean requireSafeEviction() {
        return getBoolean(REQUIRE_SAFE_EVICTION);
    }
}
