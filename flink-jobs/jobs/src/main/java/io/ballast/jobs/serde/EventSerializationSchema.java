package io.ballast.jobs.serde;

import java.nio.charset.StandardCharsets;

import io.ballast.client.ClientConfig;
import io.ballast.events.Envelope;
import io.ballast.registry.RegistryClient;
import io.ballast.serde.EventSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes Ballast events from a Flink job in the Confluent wire format, keyed by the envelope's
 * subject (so a subject's events stay in order in one partition) unless told otherwise, timestamped with the event time.
 */
public final class EventSerializationSchema<T extends SpecificRecord> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final ClientConfig clients;
    private final SerializableFunction<T, String> key;
    private transient EventSerializer<T> serializer;

    public EventSerializationSchema(String topic, ClientConfig clients) {
        this(topic, clients, event -> ((Envelope) event.get(0)).getSubject());
    }

    /** Keyed by {@code key} instead of the subject (an audit report by its job, as the topic is keyed). */
    public EventSerializationSchema(String topic, ClientConfig clients, SerializableFunction<T, String> key) {
        this.topic = topic;
        this.clients = clients;
        this.key = key;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        serializer = new EventSerializer<>(RegistryClient.connect(clients.registry()));
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T event, KafkaSinkContext context, Long timestamp) {
        Envelope envelope = (Envelope) event.get(0);
        return new ProducerRecord<>(topic, null, envelope.getOccurredAt().toEpochMilli(), key.apply(event).getBytes(StandardCharsets.UTF_8),
                serializer.serialize(topic, event));
    }
}
