package io.ballast.embedded.junit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.ballast.embedded.EmbeddedKafka;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads what a test expects from a topic: from the beginning, without a consumer group, read_committed. */
public final class KafkaRecords {
    /** How long to keep reading after the expected count, so that an unexpected extra record is seen. */
    private static final Duration EXTRA_WAIT = Duration.ofMillis(300);

    private KafkaRecords() {
    }

    /**
     * Every record of {@code topic} once {@code expected} have arrived (or {@code timeout} passed), plus
     * any that follow within a short wait: a test asserting the size sees duplicates too.
     */
    public static List<ConsumerRecord<byte[], byte[]>> await(EmbeddedKafka kafka, String topic, int expected, Duration timeout) {
        return await(kafka, topic, record -> true, expected, timeout);
    }

    /** As {@link #await(EmbeddedKafka, String, int, Duration)}, counting only the records {@code wanted} accepts. */
    public static List<ConsumerRecord<byte[], byte[]>> await(EmbeddedKafka kafka, String topic,
                                                             Predicate<ConsumerRecord<byte[], byte[]>> wanted, int expected,
                                                             Duration timeout) {
        return await(kafka.bootstrapServers(), topic, wanted, expected, timeout);
    }

    /** As above, on the brokers at {@code bootstrapServers} (a broker in a process of its own). */
    public static List<ConsumerRecord<byte[], byte[]>> await(String bootstrapServers, String topic,
                                                             Predicate<ConsumerRecord<byte[], byte[]>> wanted, int expected,
                                                             Duration timeout) {
        return awaitUntil(bootstrapServers, topic, wanted, records -> records.size() >= expected, timeout);
    }

    /**
     * The records of {@code topic} that {@code wanted} accepts once {@code enough} holds for them (or {@code timeout}
     * passed), plus any that follow within a short wait: for a test that expects what the records hold, not how many.
     */
    public static List<ConsumerRecord<byte[], byte[]>> awaitUntil(String bootstrapServers, String topic,
                                                                  Predicate<ConsumerRecord<byte[], byte[]>> wanted,
                                                                  Predicate<List<ConsumerRecord<byte[], byte[]>>> enough,
                                                                  Duration timeout) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!enough.test(records) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(r -> add(records, r, wanted));
            }
            consumer.poll(EXTRA_WAIT).forEach(r -> add(records, r, wanted));
            return records;
        }
    }

    private static void add(List<ConsumerRecord<byte[], byte[]>> records, ConsumerRecord<byte[], byte[]> record,
                            Predicate<ConsumerRecord<byte[], byte[]>> wanted) {
        if (wanted.test(record)) {
            records.add(record);
        }
    }
}
