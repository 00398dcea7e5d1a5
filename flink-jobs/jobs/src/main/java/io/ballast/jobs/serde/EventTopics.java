package io.ballast.jobs.serde;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import io.ballast.client.ClientConfig;
import io.ballast.client.KafkaClients;

import io.ballast.catalog.TopicSpec;
import io.ballast.events.Envelope;
import io.ballast.jobs.autoscale.RejectedInput;
import io.ballast.jobs.autoscale.RejectedInputSerializationSchema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * How every Ballast job reads and writes its topics: sources that read committed records from the group's
 * offsets (else the start), validate and dead-letter as they decode, with event-time watermarks from the
 * envelope; exactly-once sinks for decisions; an at-least-once sink for dead letters.
 */
public final class EventTopics {
    private EventTopics() {
    }

    /** A source of one topic's events; records that do not decode or validate go to the dead-letter topic, named by {@code job}. */
    @SuppressWarnings("deprecation") // the connector's API still takes Kafka's OffsetResetStrategy
    public static <T extends SpecificRecord> KafkaSource<T> source(ClientConfig clients, String groupId, String job,
                                                                   TopicSpec topic, Class<T> type, EventValidator<T> validator) {
        return source(clients, groupId, topic, new EventDeserializationSchema<>(type, clients, job, validator));
    }

    /**
     * A source of one topic's events as the job's inputs, each with where it was read ({@link PositionedDeserializationSchema});
     * records that do not decode or validate go to the dead-letter topic, named by {@code job}.
     */
    public static <T extends SpecificRecord, R> KafkaSource<R> positionedSource(ClientConfig clients, String groupId, String job,
            TopicSpec topic, Class<T> type, EventValidator<T> validator, PositionedDeserializationSchema.Mapping<T, R> mapping,
            org.apache.flink.api.common.typeinfo.TypeInformation<R> inputType) {
        return source(clients, groupId, topic, new PositionedDeserializationSchema<>(new EventDeserializationSchema<>(type, clients, job,
                validator), mapping, inputType));
    }

    @SuppressWarnings("deprecation") // the connector's API still takes Kafka's OffsetResetStrategy
    private static <R> KafkaSource<R> source(ClientConfig clients, String groupId, TopicSpec topic,
                                             org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema<R> records) {
        return KafkaSource.<R>builder()
                .setProperties(new KafkaClients(clients).properties(Map.of("isolation.level", "read_committed")))
                .setTopics(topic.name())
                .setGroupId(groupId)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(records)
                .build();
    }

    /** Event time from the envelope's {@code occurredAt}, bounded out-of-orderness, idle partitions not holding back. */
    public static <T extends SpecificRecord> WatermarkStrategy<T> eventTime(Duration outOfOrderness, Duration idleness) {
        return WatermarkStrategy.<T>forBoundedOutOfOrderness(outOfOrderness)
                .withTimestampAssigner((event, kafkaTimestamp) -> occurredAt(event))
                .withIdleness(idleness);
    }

    /** An exactly-once sink of events to {@code topic}, committed at each checkpoint. */
    public static <T extends SpecificRecord> KafkaSink<T> exactlyOnce(ClientConfig clients, TopicSpec topic,
                                                                      String transactionalIdPrefix) {
        // below the broker's transaction.max.timeout.ms (15 min by default), above any checkpoint
        Properties producer = new KafkaClients(clients).properties(Map.of("transaction.timeout.ms",
                Long.toString(Duration.ofMinutes(5).toMillis())));
        return KafkaSink.<T>builder()
                .setBootstrapServers(clients.bootstrapServers())
                .setRecordSerializer(new EventSerializationSchema<>(topic.name(), clients))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .setKafkaProducerConfig(producer)
                .build();
    }

    /**
     * An at-least-once sink of events to {@code topic}: records are sent as they come (no transaction waits
     * for a checkpoint), for outputs that are idempotent and want low latency; a checkpoint flushes them.
     */
    public static <T extends SpecificRecord> KafkaSink<T> atLeastOnce(ClientConfig clients, TopicSpec topic) {
        Properties producer = new KafkaClients(clients).properties(Map.of("linger.ms", "1"));
        return KafkaSink.<T>builder()
                .setBootstrapServers(clients.bootstrapServers())
                .setRecordSerializer(new EventSerializationSchema<>(topic.name(), clients))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setKafkaProducerConfig(producer)
                .build();
    }

    /** The dead-letter sink of inputs a job's function refused, named by {@code job}. */
    public static KafkaSink<RejectedInput> deadLetters(ClientConfig clients, String job) {
        return KafkaSink.<RejectedInput>builder()
                .setBootstrapServers(clients.bootstrapServers())
                .setKafkaProducerConfig(new KafkaClients(clients).properties(Map.of()))
                .setRecordSerializer(new RejectedInputSerializationSchema(job))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }

    private static long occurredAt(SpecificRecord event) {
        return ((Envelope) event.get(event.getSchema().getField("envelope").pos())).getOccurredAt().toEpochMilli();
    }
}
