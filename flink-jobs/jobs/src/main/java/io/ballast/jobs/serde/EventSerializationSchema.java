package io.ballast.jobs.serde;

import java.nio.charset.StandardCharsets;

import io.ballast.client.ClientConfig;
import io.ballast.events.Envelope;
import io.ballast.registry.RegistryClient;
import io.ballast.serde.EventSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes Ballast events from a Flink job in the Confluent wire format, keyed by the envelope's
 * subject (so a subject's events stay in order in one partition), timestamped with the event time.
 */
public final class EventSerializationSchema<T extends SpecificRecord> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final ClientConfig clients;
    private transient EventSerializer<T> serializer;

    public EventSerializationSchema(String topic, ClientConfig clients) {
        this.topic = topic;
        this.clients = clients;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        serializer = new EventSerializer<>(RegistryClient.connect(clients.registry()));
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T event, KafkaSinkContext context, Long timestamp) {
        Envelope envelope = (Envelope) event.get(0);
        byte[] key = envelope.getSubject().getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(topic, null, envelope.getOccurredAt().toEpochMilli(), key, serializer.serialize(topic, event));
    }
}
