package io.ballast.serde;

import java.util.Map;

import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A Kafka {@link Deserializer} over {@link EventDecoder}. Kafka's consumer wraps its failures in a
 * {@code RecordDeserializationException} that carries the partition, offset and raw bytes; consumers
 * that dead-letter read {@code byte[]} and call {@link EventDecoder#decode(org.apache.kafka.clients.consumer.ConsumerRecord)}.
 */
public final class EventDeserializer<T extends SpecificRecord> implements Deserializer<T> {
    private final Class<T> type;
    private EventDecoder<T> decoder;

    public EventDeserializer(RegistryClient registry, Class<T> type) {
        this.type = type;
        this.decoder = EventDecoder.specific(registry, type);
    }

    /** For configuration by properties: {@link #configure} must follow. */
    public EventDeserializer(Class<T> type) {
        this.type = type;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (decoder == null) {
            decoder = EventDecoder.specific(RegistryClient.connect(RegistryConfig.fromClientConfigs(configs)), type);
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return decoder.decode(topic, -1, -1L, data);
    }
}
