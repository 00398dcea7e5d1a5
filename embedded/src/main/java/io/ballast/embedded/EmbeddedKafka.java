package io.ballast.embedded;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka (combined broker and controller) running in this JVM.
 *
 * <p>It takes the path a real server takes: the log directory is formatted as
 * {@code kafka-storage format --ignore-formatted} would, then a {@link KafkaRaftServer} starts on it.
 * A data directory reused across starts keeps its topics and records, which is what
 * {@code ballast up} relies on.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final String CLUSTER_ID_FILE = "cluster.id";

    private final Path dataDir;
    private final int port;
    private final int saslPort;
    private final KafkaRaftServer server;
    /** A broker this JVM did not start (a Testcontainers Kafka): its address and how to stop it. */
    private final String externalBootstrap;
    private final Runnable externalStop;

    private EmbeddedKafka(Path dataDir, int port, int saslPort, KafkaRaftServer server) {
        this.dataDir = dataDir;
        this.port = port;
        this.saslPort = saslPort;
        this.server = server;
        this.externalBootstrap = null;
        this.externalStop = null;
    }

    private EmbeddedKafka(String bootstrap, Runnable stop) {
        this.dataDir = null;
        this.port = -1;
        this.saslPort = -1;
        this.server = null;
        this.externalBootstrap = bootstrap;
        this.externalStop = stop;
    }

    /** A broker started elsewhere (the test kit's Testcontainers Kafka), stopped by {@code stop}; it has no data directory here. */
    public static EmbeddedKafka external(String bootstrapServers, Runnable stop) {
        return new EmbeddedKafka(bootstrapServers, stop);
    }

    /** A SCRAM-SHA-512 user the secured broker knows. */
    public record ScramUser(String name, String password) {
        @Override
        public String toString() {
            return "ScramUser[" + name + "]";
        }
    }

    /**
     * As {@link #start(Path, int, int)}, plus a {@code SASL_PLAINTEXT} listener on a free port of 127.0.0.1 that
     * authenticates with SCRAM-SHA-512 (KRaft keeps the credentials in its metadata), knowing {@code user}. The
     * plaintext listener stays for the broker's own traffic; a test points clients at {@link #saslBootstrapServers()}.
     */
    public static EmbeddedKafka startSecured(Path dataDir, ScramUser user) {
        EmbeddedKafka kafka = start(dataDir, 0, 0, FreePort.find());
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            admin.alterUserScramCredentials(List.of(new org.apache.kafka.clients.admin.UserScramCredentialUpsertion(user.name(),
                    new org.apache.kafka.clients.admin.ScramCredentialInfo(org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_512, 4096),
                    user.password()))).all().get(30, TimeUnit.SECONDS);
            // the credential is usable once the broker has applied the metadata record that carries it
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (admin.describeUserScramCredentials(List.of(user.name())).all().get(10, TimeUnit.SECONDS).isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new EmbeddedStartException("the SCRAM credential of " + user.name() + " did not appear", null);
                }
                TimeUnit.MILLISECONDS.sleep(50); // polling interval of a readiness probe, not synchronisation
            }
        } catch (Exception e) {
            kafka.close();
            throw new EmbeddedStartException("could not create the SCRAM user " + user.name() + ": " + e, e);
        }
        return kafka;
    }

    /**
     * Formats {@code dataDir} if it is new, starts the broker and waits until it answers.
     *
     * @param dataDir where the log and metadata live; reused across starts
     * @param port the client port on 127.0.0.1, or 0 for a free one
     * @param controllerPort the KRaft controller port, or 0 for a free one
     */
    public static EmbeddedKafka start(Path dataDir, int port, int controllerPort) {
        return start(dataDir, port, controllerPort, -1);
    }

    private static EmbeddedKafka start(Path dataDir, int port, int controllerPort, int saslPort) {
        try {
            Files.createDirectories(dataDir);
            int clientPort = port == 0 ? FreePort.findOtherThan(saslPort) : port;
            int quorumPort = controllerPort == 0 ? FreePort.findOtherThan(clientPort, saslPort) : controllerPort;
            for (int p : new int[] {clientPort, quorumPort}) {
                if (!FreePort.isFree(p)) {
                    throw new EmbeddedStartException("port " + p + " on 127.0.0.1 is in use (another 'ballast up' or Kafka?);"
                            + " stop it or choose other Kafka ports");
                }
            }
            Properties props = brokerProperties(dataDir, clientPort, quorumPort);
            if (saslPort > 0) {
                addScramListener(props, clientPort, quorumPort, saslPort);
            }
            KafkaConfig config = KafkaConfig.fromProps(props, false);
            format(config, clusterId(dataDir));
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            EmbeddedKafka kafka = new EmbeddedKafka(dataDir, clientPort, saslPort, server);
            try {
                kafka.awaitReady(Duration.ofSeconds(60));
            } catch (RuntimeException | InterruptedException e) {
                kafka.close();
                throw e;
            }
            LOG.info("Kafka broker listening on {} with data in {}", kafka.bootstrapServers(), dataDir);
            return kafka;
        } catch (IOException e) {
            throw new EmbeddedStartException("Kafka could not use its data directory " + dataDir + ": " + e.getMessage(), e);
        } catch (EmbeddedStartException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedStartException("interrupted while Kafka started", e);
        } catch (Exception e) {
            throw new EmbeddedStartException("Kafka did not start with data in " + dataDir + ": " + e, e);
        }
    }

    /** The {@code bootstrap.servers} value clients use. */
    public String bootstrapServers() {
        if (externalBootstrap != null) {
            return externalBootstrap;
        }
        return "127.0.0.1:" + port;
    }

    /** The SASL_PLAINTEXT (SCRAM-SHA-512) listener of a broker from {@link #startSecured}. */
    public String saslBootstrapServers() {
        if (saslPort < 0) {
            throw new IllegalStateException("this broker has no SASL listener: start it with startSecured");
        }
        return "127.0.0.1:" + saslPort;
    }

    /** The directory holding the log and the metadata. */
    public Path dataDir() {
        return dataDir;
    }

    /** Client properties that reach this broker. */
    public Properties clientProperties() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return props;
    }

    @Override
    public void close() {
        if (externalStop != null) {
            externalStop.run();
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        LOG.info("Kafka broker on {} stopped", bootstrapServers());
    }

    private static Properties brokerProperties(Path dataDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", dataDir.resolve("log").toString());
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        // Room for dead letters: a refused record plus the headers that say why.
        p.put("message.max.bytes", String.valueOf(4 * 1024 * 1024));
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        return p;
    }

    private static void addScramListener(Properties p, int port, int controllerPort, int saslPort) {
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort
                + ",SASL_PLAINTEXT://127.0.0.1:" + saslPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port + ",SASL_PLAINTEXT://127.0.0.1:" + saslPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT");
        p.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        p.put("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    }

    private static void format(KafkaConfig config, String clusterId) throws Exception {
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(config.nodeId())
                .setClusterId(clusterId)
                .setIgnoreFormatted(true)
                .setUnstableFeatureVersionsEnabled(false)
                .setReleaseVersion(MetadataVersion.latestProduction())
                .setControllerListenerName("CONTROLLER")
                .setMetadataLogDirectory(config.metadataLogDir())
                .setDirectories(List.copyOf(Set.copyOf(config.logDirs())))
                .run();
    }

    /** The cluster id is chosen once per data directory, so that a restart finds its own log. */
    private static String clusterId(Path dataDir) throws IOException {
        Path file = dataDir.resolve(CLUSTER_ID_FILE);
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        String id = org.apache.kafka.common.Uuid.randomUuid().toString();
        Files.writeString(file, id);
        return id;
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        try (Admin admin = Admin.create(config)) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new EmbeddedStartException("Kafka on " + bootstrapServers() + " did not answer within " + timeout, e);
                    }
                }
                TimeUnit.MILLISECONDS.sleep(100); // polling interval of a readiness probe, not synchronisation
            }
        }
    }
}
