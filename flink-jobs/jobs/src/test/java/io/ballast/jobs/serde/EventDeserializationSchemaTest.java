package io.ballast.jobs.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.ballast.catalog.TopicInitializer;
import io.ballast.catalog.Topics;
import io.ballast.deadletter.DeadLetterHeaders;
import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.junit.KafkaRecords;
import io.ballast.embedded.junit.WithKafka;
import io.ballast.embedded.junit.WithRegistry;
import io.ballast.events.MetricSample;
import io.ballast.jobs.RocksDbMiniCluster;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import io.ballast.serde.EventSerializer;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** On a MiniCluster (RocksDB, checkpoints on): bad bytes are dead-lettered with the reason and the job goes on. */
@WithKafka
@WithRegistry
class EventDeserializationSchemaTest {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = RocksDbMiniCluster.extension();

    @Test
    void badRecordsGoToTheDeadLetterTopicAndGoodOnesFlow(EmbeddedKafka kafka, ApicurioRegistry registry) throws Exception {
        String topic = "flink-serde-samples";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicInitializer(admin, (short) 1).ensure(List.of(Topics.METRICS_RAW.withName(topic), Topics.DLQ));
        }
        EventSerializer<MetricSample> serializer = new EventSerializer<>(RegistryClient.connect(RegistryConfig.of(registry.url())));
        MetricSample good = FlinkConfluentCompatibilityTest.sample();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            byte[] key = "checkout".getBytes(StandardCharsets.UTF_8);
            producer.send(new ProducerRecord<>(topic, 0, key, serializer.serialize(topic, good))).get();
            producer.send(new ProducerRecord<>(topic, 0, key, new byte[] {0, 0, 0})).get();
            good.setValue(0.9);
            producer.send(new ProducerRecord<>(topic, 0, key, serializer.serialize(topic, good))).get();
        }

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(500);
        KafkaSource<MetricSample> source = KafkaSource.<MetricSample>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setTopics(topic)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setBounded(OffsetsInitializer.latest())
                .setDeserializer(new EventDeserializationSchema<>(MetricSample.class, io.ballast.client.ClientConfig.of(kafka.bootstrapServers(), registry.url()), "serde-test"))
                .build();
        List<Double> values = new ArrayList<>();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "samples").map(MetricSample::getValue)
                .executeAndCollect().forEachRemaining(values::add);

        assertEquals(List.of(0.75, 0.9), values);
        ConsumerRecord<byte[], byte[]> dead = onlyDeadLetterFrom(kafka, topic);
        assertEquals("TRUNCATED", header(dead, DeadLetterHeaders.REASON_CODE));
        assertEquals(topic, header(dead, DeadLetterHeaders.ORIGINAL_TOPIC));
        assertEquals("1", header(dead, DeadLetterHeaders.ORIGINAL_OFFSET));
        assertEquals("serde-test", header(dead, DeadLetterHeaders.FAILED_BY));
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        return new String(record.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
    }

    /** The broker is shared with other test classes: only this test's dead letters count. */
    private static ConsumerRecord<byte[], byte[]> onlyDeadLetterFrom(EmbeddedKafka kafka, String original) {
        List<ConsumerRecord<byte[], byte[]>> records = KafkaRecords.await(kafka, Topics.DLQ.name(),
                r -> original.equals(header(r, DeadLetterHeaders.ORIGINAL_TOPIC)), 1, Duration.ofSeconds(30));
        assertEquals(1, records.size(), "dead letters from " + original);
        return records.get(0);
    }
}
