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
import io.ballast.client.ClientConfig;
import io.ballast.client.KafkaClients;
import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.EmbeddedStartException;
import io.ballast.registry.RegistryClient;
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
    private final ClientConfig clients;
    private final TopicReport topics;
    private final Map<String, Integer> schemaIds;
    private boolean closing;

    private Platform(Path dataDir, FileChannel lockChannel, EmbeddedKafka kafka, ApicurioRegistry registry,
                     int registryPort, ClientConfig clients, TopicReport topics, Map<String, Integer> schemaIds) {
        this.dataDir = dataDir;
        this.lockChannel = lockChannel;
        this.kafka = kafka;
        this.registry = registry;
        this.registryPort = registryPort;
        this.clients = clients;
        this.topics = topics;
        this.schemaIds = schemaIds;
    }

    /** Starts everything embedded; on any failure stops what had started and throws. */
    static Platform start(Path dataDir, int kafkaPort, int controllerPort, int registryPort) throws InterruptedException {
        return start(dataDir, kafkaPort, controllerPort, registryPort, ClientConfig.defaults(), false, false);
    }

    /**
     * Starts the parts not given: with {@code existingKafka} the brokers of {@code given} are used and no broker is
     * started; with {@code existingRegistry} likewise its registry. On any failure stops what had started and throws.
     */
    static Platform start(Path dataDir, int kafkaPort, int controllerPort, int registryPort, ClientConfig given,
                          boolean existingKafka, boolean existingRegistry) throws InterruptedException {
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
            ClientConfig clients = given;
            if (!existingKafka) {
                kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), kafkaPort, controllerPort);
                clients = clients.with(ClientConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            }
            if (!existingRegistry) {
                registry = ApicurioRegistry.start(dataDir.resolve("registry"), registryPort, true);
                clients = clients.with(ClientConfig.REGISTRY_URL, registry.url());
            }
            KafkaClients kafkaClients = new KafkaClients(clients);
            kafkaClients.requireReachable(java.time.Duration.ofSeconds(30));
            TopicReport topics;
            try (Admin admin = kafkaClients.admin()) {
                int brokers = admin.describeCluster().nodes().get(30, java.util.concurrent.TimeUnit.SECONDS).size();
                topics = new TopicInitializer(admin, (short) Math.min(3, brokers)).ensure(Topics.all());
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw kafkaClients.explain(e.getCause() == null ? e : e.getCause());
            }
            Map<String, Integer> ids = registerSchemas(kafkaClients.registry());
            return new Platform(dataDir, channel, kafka, registry, registry == null ? -1 : portOf(registry.url()), clients, topics, ids);
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
        return clients.bootstrapServers();
    }

    String registryUrl() {
        return clients.registryUrl();
    }

    /** The client configuration every part of up uses: the broker and registry it runs or was given, with their security. */
    ClientConfig clients() {
        return clients;
    }

    boolean embeddedKafka() {
        return kafka != null;
    }

    boolean embeddedRegistry() {
        return registry != null;
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
        if (closing || registry == null || registry.isAlive()) {
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
