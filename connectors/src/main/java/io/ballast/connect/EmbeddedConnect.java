package io.ballast.connect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.ballast.catalog.Topics;
import io.ballast.connect.redis.RedisInvalidationSinkConnector;
import io.ballast.connect.redis.RedisInvalidationSinkTask;
import org.apache.kafka.connect.cli.ConnectStandalone;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.Herder;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.runtime.standalone.StandaloneHerder;
import org.apache.kafka.connect.util.FutureCallback;

/**
 * A Kafka Connect worker in standalone mode inside this JVM, for {@code ballast up} and tests: the real
 * Connect runtime (herder, worker, REST API on loopback, consumer groups per sink), with the Ballast
 * plugins found on the classpath. Offsets of sinks live in their consumer groups.
 */
public final class EmbeddedConnect implements AutoCloseable {
    public static final String REDIS_SINK = RedisInvalidationSinkTask.NAME;
    private final Connect<StandaloneHerder> connect;

    private EmbeddedConnect(Connect<StandaloneHerder> connect) {
        this.connect = connect;
    }

    /** Starts a worker against {@code bootstrapServers}, its REST API on {@code restPort} (0: any free port). */
    public static EmbeddedConnect start(String bootstrapServers, Path dataDir, int restPort) throws Exception {
        return start(new io.ballast.client.KafkaClients(io.ballast.client.ClientConfig.defaults().with("bootstrap.servers", bootstrapServers)),
                dataDir, restPort);
    }

    /**
     * Starts a worker whose own clients and whose tasks' consumers and producers take the client configuration (so a
     * secured cluster's settings reach them: Connect gives its tasks only the {@code consumer.}/{@code producer.}
     * prefixed worker settings), its REST API on {@code restPort} (0: any free port).
     */
    public static EmbeddedConnect start(io.ballast.client.KafkaClients clients, Path dataDir, int restPort) throws Exception {
        Files.createDirectories(dataDir);
        Map<String, String> worker = new HashMap<>();
        clients.config().kafka().forEach((key, value) -> {
            for (String prefix : new String[] {"", "consumer.", "producer.", "admin."}) {
                worker.put(prefix + key, value.toString());
            }
        });
        worker.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        worker.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        worker.put("offset.storage.file.filename", dataDir.resolve("connect.offsets").toString());
        worker.put("offset.flush.interval.ms", "1000");
        worker.put("listeners", "http://127.0.0.1:" + restPort);
        // plugins declare themselves (META-INF/services): no reflective scan of the whole classpath at start
        worker.put("plugin.discovery", "service_load");
        return new EmbeddedConnect(new ConnectStandalone().startConnect(worker));
    }

    /** Creates (or reconfigures) the Redis invalidation sink with the given settings (see RedisSinkConfig). */
    public void putRedisSink(Map<String, String> settings) throws Exception {
        Map<String, String> config = new HashMap<>(settings);
        config.put("connector.class", RedisInvalidationSinkConnector.class.getName());
        config.put("name", REDIS_SINK);
        config.put("tasks.max", "1");
        config.put("topics", Topics.CACHE_INVALIDATIONS.name());
        config.putIfAbsent("consumer.override.fetch.max.wait.ms", "20");
        FutureCallback<Herder.Created<ConnectorInfo>> created = new FutureCallback<>();
        connect.herder().putConnectorConfig(REDIS_SINK, config, true, created);
        created.get(30, TimeUnit.SECONDS);
    }

    /** Removes a connector. */
    public void delete(String name) throws Exception {
        FutureCallback<Herder.Created<ConnectorInfo>> deleted = new FutureCallback<>();
        connect.herder().deleteConnectorConfig(name, deleted);
        deleted.get(30, TimeUnit.SECONDS);
    }

    /** The connector's and its tasks' states, e.g. {@code RUNNING [RUNNING]}, or {@code ABSENT}. */
    public String state(String name) {
        try {
            ConnectorStateInfo info = connect.herder().connectorStatus(name);
            List<String> tasks = info.tasks().stream().map(ConnectorStateInfo.AbstractState::state).toList();
            return info.connector().state() + " " + tasks;
        } catch (org.apache.kafka.connect.errors.NotFoundException e) {
            return "ABSENT";
        }
    }

    /** Why a task failed (its trace), or empty. */
    public String failure(String name) {
        try {
            return connect.herder().connectorStatus(name).tasks().stream().map(ConnectorStateInfo.AbstractState::trace)
                    .filter(t -> t != null).findFirst().orElse("");
        } catch (org.apache.kafka.connect.errors.NotFoundException e) {
            return "";
        }
    }

    /** The worker's REST API. */
    public String restUrl() {
        return connect.rest().advertisedUrl().toString();
    }

    @Override
    public void close() {
        connect.stop();
    }
}
