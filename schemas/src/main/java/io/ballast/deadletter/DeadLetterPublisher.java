package io.ballast.deadletter;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Future;

import io.ballast.catalog.Topics;
import io.ballast.client.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;

/**
 * Sends records that cannot be used to the dead-letter topic, byte for byte, with their original
 * headers and {@link DeadLetterHeaders} that say where they came from and why. The key is kept, so a
 * dead letter lands in the partition order of its subject.
 */
public final class DeadLetterPublisher implements AutoCloseable {
    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final String failedBy;
    private final Clock clock;
    private final boolean ownsProducer;

    /**
     * @param producer the producer to send with; not closed by {@link #close()}
     * @param topic the dead-letter topic, normally {@code ballast.dlq}
     * @param failedBy the app or job that refuses the records
     */
    public DeadLetterPublisher(Producer<byte[], byte[]> producer, String topic, String failedBy, Clock clock) {
        this(producer, topic, failedBy, clock, false);
    }

    private DeadLetterPublisher(Producer<byte[], byte[]> producer, String topic, String failedBy, Clock clock, boolean owns) {
        this.producer = producer;
        this.topic = topic;
        this.failedBy = failedBy;
        this.clock = clock;
        this.ownsProducer = owns;
    }

    /** A publisher with its own idempotent producer to {@code ballast.dlq}. */
    public static DeadLetterPublisher create(KafkaClients clients, String failedBy) {
        Map<String, Object> config = Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.DLQ.maxMessageBytes(),
                ProducerConfig.CLIENT_ID_CONFIG, "ballast-dlq-" + failedBy);
        return new DeadLetterPublisher(clients.producer(config), Topics.DLQ.name(), failedBy, Clock.systemUTC(), true);
    }

    /** Dead-letters a consumed record. */
    public Future<RecordMetadata> send(ConsumerRecord<byte[], byte[]> record, DeadLetterReason reason) {
        return send(record.topic(), record.partition(), record.offset(), record.timestamp(), record.key(), record.value(),
                record.headers(), reason);
    }

    /** Dead-letters raw bytes from the given coordinates (partition and offset -1 when unknown). */
    public Future<RecordMetadata> send(String originalTopic, int partition, long offset, long timestamp,
                                       byte[] key, byte[] value, Headers originalHeaders, DeadLetterReason reason) {
        Headers headers = DeadLetterHeaders.of(originalHeaders, reason, originalTopic, partition, offset, timestamp, failedBy,
                clock.millis());
        return producer.send(new ProducerRecord<>(topic, null, key, value, headers));
    }

    /** Sends what is buffered. */
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        if (ownsProducer) {
            producer.close();
        }
    }
}
