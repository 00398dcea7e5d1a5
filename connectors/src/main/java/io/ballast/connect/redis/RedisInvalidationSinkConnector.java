package io.ballast.connect.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * A Kafka Connect sink that applies ballast.cache.invalidations to Redis: each invalidation is one atomic
 * Lua script that deletes an entry only if it was filled from an older version and leaves versioned
 * tombstones that fence slower fills; tags remove every key of their set. Use the ByteArrayConverter for
 * values: the task decodes the Avro (Confluent wire format) itself and dead-letters what does not decode.
 */
public final class RedisInvalidationSinkConnector extends SinkConnector {
    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        new RedisSinkConfig(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return RedisInvalidationSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>();
        for (int i = 0; i < maxTasks; i++) {
            configs.add(props);
        }
        return configs;
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return RedisSinkConfig.DEFINITION;
    }

    @Override
    public String version() {
        return "0.1.0";
    }
}
