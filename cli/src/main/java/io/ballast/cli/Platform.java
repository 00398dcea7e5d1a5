package io.ballast.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

import io.ballast.catalog.TopicInitializer;
import io.ballast.catalog.TopicReport;
import io.ballast.catalog.TopicSpec;
import io.ballast.catalog.Topics;
import io.ballast.catalog.ValueFormat;
import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.EmbeddedStartException;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded platform of {@code ballast up}: a KRaft broker and a schema registry with their data
 * under one directory, the catalog's topics created and every event schema registered. Stops in the
 * reverse order it started. One platform per data directory (a file lock says so).
 */
final class Platform implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Platform.class);

    private final Path dataDir;
    private final FileChannel lockChannel;
    private final EmbeddedKafka kafka;
    private volatile ApicurioRegistry registry;
    private final int registryPort;
    private final TopicReport topics;
    private final Map<String, Integer> schemaIds;
    private boolean closing;

    private Platform(Path dataDir, FileChannel lockChannel, EmbeddedKafka kafka, ApicurioRegistry registry,
                     int registryPort, TopicReport topics, Map<String, Integer> schemaIds) {
        this.dataDir = dataDir;
        this.lockChannel = lockChannel;
        this.kafka = kafka;
        this.registry = registry;
        this.registryPort = registryPort;
        this.topics = topics;
        this.schemaIds = schemaIds;
    }

    /** Starts everything; on any failure stops what had started and throws. */
    static Platform start(Path dataDir, int kafkaPort, int controllerPort, int registryPort) throws InterruptedException {
        FileChannel channel = null;
        EmbeddedKafka kafka = null;
        ApicurioRegistry registry = null;
        try {
            Files.createDirectories(dataDir);
            channel = FileChannel.open(dataDir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (!tryLock(channel)) {
                throw new EmbeddedStartException("another 'ballast up' is running with data in " + dataDir
                        + "; stop it or give --data-dir another directory");
            }
            kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), kafkaPort, controllerPort);
            registry = ApicurioRegistry.start(dataDir.resolve("registry"), registryPort, true);
            TopicReport topics;
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                topics = new TopicInitializer(admin, (short) 1).ensure(Topics.all());
            }
            Map<String, Integer> ids = registerSchemas(RegistryClient.connect(RegistryConfig.of(registry.url())));
            return new Platform(dataDir, channel, kafka, registry, portOf(registry.url()), topics, ids);
        } catch (IOException e) {
            close(registry, kafka, channel);
            throw new EmbeddedStartException("cannot use the data directory " + dataDir + ": " + e.getMessage(), e);
        } catch (RuntimeException | InterruptedException e) {
            close(registry, kafka, channel);
            throw e;
        }
    }

    /** Whether this process now holds the data directory's lock (held by another process, or by this one, is a no). */
    private static boolean tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock() != null;
        } catch (java.nio.channels.OverlappingFileLockException heldHere) {
            return false;
        }
    }

    /** Registers the catalog's schemas, so that their ids exist before the first producer and stay the same. */
    private static Map<String, Integer> registerSchemas(RegistryClient client) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (TopicSpec topic : Topics.all()) {
            if (topic.value() instanceof ValueFormat.Avro avro) {
                ids.put(topic.valueSubject(), client.register(topic.valueSubject(), avro.schema()));
            }
        }
        return ids;
    }

    private static int portOf(String url) {
        return java.net.URI.create(url).getPort();
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    String registryUrl() {
        return registry.url();
    }

    Path dataDir() {
        return dataDir;
    }

    TopicReport topics() {
        return topics;
    }

    /** Subject to schema id of every catalog schema. */
    Map<String, Integer> schemaIds() {
        return schemaIds;
    }

    /** Restarts the registry if its process died; true if it had to. Does nothing once closing began. */
    synchronized boolean superviseRegistry() {
        if (closing || registry.isAlive()) {
            return false;
        }
        LOG.warn("the schema registry exited; restarting it (log: {})", registry.logFile());
        registry = ApicurioRegistry.start(dataDir.resolve("registry"), registryPort, true);
        return true;
    }

    @Override
    public synchronized void close() {
        // no restart of the registry from here on: a stopping registry is not a crashed one
        closing = true;
        // closing the lock's channel releases the lock
        close(registry, kafka, lockChannel);
    }

    private static void close(ApicurioRegistry registry, EmbeddedKafka kafka, FileChannel channel) {
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }
}
