package io.ballast.deadletter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ballast.catalog.TopicInitializer;
import io.ballast.catalog.Topics;
import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.junit.KafkaRecords;
import io.ballast.embedded.junit.WithKafka;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import io.ballast.serde.EventDecoder;
import io.ballast.serde.UndecodableRecordException;
import io.ballast.events.MetricSample;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** A record that does not decode reaches the dead-letter topic byte for byte, with the reason in headers. */
@WithKafka
class DeadLetterPublisherTest {

    @Test
    void anUndecodableRecordIsDeadLetteredWithItsReason(EmbeddedKafka kafka) throws Exception {
        String source = "dlq-test-source";
        String dlq = "dlq-test-dlq";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicInitializer(admin, (short) 1).ensure(List.of(
                    Topics.METRICS_RAW.withName(source), Topics.DLQ.withName(dlq)));
        }
        Map<String, Object> producerConfig = Map.of("bootstrap.servers", kafka.bootstrapServers());
        byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer())) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(source, 0, "checkout".getBytes(StandardCharsets.UTF_8), garbage);
            record.headers().add("trace", "t-1".getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();

            EventDecoder<MetricSample> decoder = EventDecoder.specific(RegistryClient.connect(RegistryConfig.of("mock://dlq")), MetricSample.class);
            ConsumerRecord<byte[], byte[]> consumed = consumeOne(kafka, source);
            DeadLetterPublisher publisher = new DeadLetterPublisher(producer, dlq, "dlq-test",
                    Clock.fixed(Instant.ofEpochMilli(1234), ZoneOffset.UTC));
            try {
                decoder.decode(consumed);
            } catch (UndecodableRecordException e) {
                publisher.send(consumed, DeadLetterReason.of(e)).get();
            }

            ConsumerRecord<byte[], byte[]> dead = consumeOne(kafka, dlq);
            assertArrayEquals(garbage, dead.value());
            assertArrayEquals("checkout".getBytes(StandardCharsets.UTF_8), dead.key());
            Map<String, String> headers = new LinkedHashMap<>();
            for (Header h : dead.headers()) {
                headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
            }
            assertEquals(Map.of(
                    "trace", "t-1",
                    DeadLetterHeaders.REASON_CODE, "WRONG_MAGIC_BYTE",
                    DeadLetterHeaders.REASON, "first byte is 0x6e, not the magic byte 0x00: not Confluent wire format",
                    DeadLetterHeaders.ORIGINAL_TOPIC, source,
                    DeadLetterHeaders.ORIGINAL_PARTITION, "0",
                    DeadLetterHeaders.ORIGINAL_OFFSET, "0",
                    DeadLetterHeaders.ORIGINAL_TIMESTAMP, Long.toString(consumed.timestamp()),
                    DeadLetterHeaders.FAILED_BY, "dlq-test",
                    DeadLetterHeaders.FAILED_AT, "1234"), headers);
        }
    }

    private static ConsumerRecord<byte[], byte[]> consumeOne(EmbeddedKafka kafka, String topic) {
        List<ConsumerRecord<byte[], byte[]>> records = KafkaRecords.await(kafka, topic, 1, Duration.ofSeconds(30));
        assertEquals(1, records.size(), "records on " + topic);
        return records.get(0);
    }
}
