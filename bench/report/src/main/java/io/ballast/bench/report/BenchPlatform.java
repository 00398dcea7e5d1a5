package io.ballast.bench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.ballast.catalog.TopicInitializer;
import io.ballast.catalog.Topics;
import io.ballast.client.ClientConfig;
import io.ballast.client.KafkaClients;
import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.TempDirs;
import io.ballast.registry.RegistryClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/** What a suite's benchmarks share: one KRaft broker and one registry, with the catalog's topics, in a temporary directory. */
public record BenchPlatform(Path work, EmbeddedKafka kafka, ApicurioRegistry registry) implements AutoCloseable {

    public static BenchPlatform start() {
        try {
            // a run stopped with Ctrl-C never reaches close(): its work directory goes when the JVM does
            Path work = TempDirs.createDeletedOnExit("ballast-bench");
            EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), 0, 0);
            ApicurioRegistry registry = ApicurioRegistry.start(work.resolve("registry"), 0, false);
            BenchPlatform platform = new BenchPlatform(work, kafka, registry);
            try (Admin admin = platform.clients().admin()) {
                new TopicInitializer(admin, (short) 1).ensure(Topics.all());
            }
            return platform;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("could not start the benchmark platform", e);
        }
    }

    public ClientConfig clientConfig() {
        return ClientConfig.of(kafka.bootstrapServers(), registry.url());
    }

    public KafkaClients clients() {
        return new KafkaClients(clientConfig());
    }

    public RegistryClient registryClient() {
        return clients().registry();
    }

    /** Creates a topic of {@code partitions} for a benchmark's own use. */
    public void createTopic(String name, int partitions) {
        try (Admin admin = clients().admin()) {
            admin.createTopics(java.util.List.of(new NewTopic(name, partitions, (short) 1).configs(Map.of("max.message.bytes", "1048576"))))
                    .all().get();
            TopicInitializer.awaitWritable(admin, java.util.List.of(name));
        } catch (Exception e) {
            throw new IllegalStateException("could not create topic " + name, e);
        }
    }

    /** A directory of its own under the platform's work directory. */
    public Path directory(String name) {
        try {
            return Files.createDirectories(work.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the registry and the broker and deletes the work directory: a full run leaves gigabytes of logs and state in it. */
    @Override
    public void close() {
        try {
            registry.close();
            kafka.close();
        } finally {
            TempDirs.deleteQuietly(work);
        }
    }
}
