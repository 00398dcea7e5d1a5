package io.ballast.jobs.invalidate;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.ballast.client.ClientConfig;
import io.ballast.client.KafkaClients;

import io.ballast.invalidate.Visit;
import io.ballast.invalidate.VisitCodec;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The closure's feedback topic: visits keyed by the node they are for, written at-least-once as they
 * come and read back from the group's offsets (replays are stopped by the nodes' visited versions).
 */
final class VisitRecords {
    private VisitRecords() {
    }

    static KafkaSink<Visit> sink(ClientConfig clients, String topic) {
        return KafkaSink.<Visit>builder()
                .setBootstrapServers(clients.bootstrapServers())
                .setRecordSerializer(new Serializer(topic))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setKafkaProducerConfig(new KafkaClients(clients).properties(Map.of("linger.ms", "1")))
                .build();
    }

    @SuppressWarnings("deprecation") // the connector's API still takes Kafka's OffsetResetStrategy
    static KafkaSource<Visit> source(ClientConfig clients, String topic, String groupId) {
        return KafkaSource.<Visit>builder()
                .setProperties(new KafkaClients(clients).properties(Map.of("fetch.max.wait.ms", "50")))
                .setTopics(topic)
                .setGroupId(groupId)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new Deserializer())
                .build();
    }

    private record Serializer(String topic) implements KafkaRecordSerializationSchema<Visit> {
        @Override
        public ProducerRecord<byte[], byte[]> serialize(Visit visit, KafkaSinkContext context, Long timestamp) {
            return new ProducerRecord<>(topic, visit.node().id().getBytes(StandardCharsets.UTF_8), VisitCodec.encode(visit));
        }

        @Override
        public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        }
    }

    private static final class Deserializer implements KafkaRecordDeserializationSchema<Visit> {
        private static final long serialVersionUID = 1L;
        private static final Logger LOG = LoggerFactory.getLogger(VisitRecords.class);

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Visit> out) {
            try {
                out.collect(VisitCodec.decode(record.value()));
            } catch (IllegalArgumentException | NullPointerException e) {
                // only this job writes the topic: a foreign record is logged with its coordinates and skipped
                LOG.error("skipping a record that is not a closure visit at {}-{}@{}: {}", record.topic(), record.partition(),
                        record.offset(), e.getMessage());
            }
        }

        @Override
        public TypeInformation<Visit> getProducedType() {
            return ClosureTypes.visit();
        }
    }
}
