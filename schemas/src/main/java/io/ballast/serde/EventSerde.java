package io.ballast.serde;

import io.ballast.registry.RegistryClient;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Serdes for Kafka Streams (and anything else that takes a {@link Serde}) in the Confluent wire format. */
public final class EventSerde {
    private EventSerde() {
    }

    /** A serde of the generated event class {@code type}. */
    public static <T extends SpecificRecord> Serde<T> of(RegistryClient registry, Class<T> type) {
        return Serdes.serdeFrom(new EventSerializer<>(registry), new EventDeserializer<>(registry, type));
    }
}
