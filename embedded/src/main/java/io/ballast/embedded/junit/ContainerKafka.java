package io.ballast.embedded.junit;

import io.ballast.embedded.EmbeddedKafka;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The test broker as a Testcontainers Kafka (Apache's image, KRaft, the same 4.2 line as everything else), for
 * machines with a Docker engine; selected with {@code -Dballast.test.kafka=testcontainers}. Only loaded then.
 */
final class ContainerKafka {
    /** The image: Kafka's own, at the version every Ballast Kafka artifact is on. */
    static final String IMAGE = "apache/kafka:4.2.0";

    private ContainerKafka() {
    }

    /** Whether a Docker engine answers (about 0.2 s when none does). */
    static boolean dockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    @SuppressWarnings("resource") // stopped by the EmbeddedKafka that wraps it
    static EmbeddedKafka start() {
        KafkaContainer container = new KafkaContainer(DockerImageName.parse(IMAGE))
                .withEnv("KAFKA_MESSAGE_MAX_BYTES", String.valueOf(4 * 1024 * 1024))
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
        container.start();
        return EmbeddedKafka.external(container.getBootstrapServers(), container::stop);
    }
}
