package io.ballast.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import java.util.stream.Stream;

import io.ballast.catalog.TopicSpec;
import io.ballast.catalog.Topics;
import io.ballast.catalog.ValueFormat;
import io.ballast.events.Envelope;
import io.ballast.json.AvroToJson;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every event type of the catalog survives JSON -> Avro -> wire format -> generated class -> JSON unchanged. */
class EventRoundTripTest {
    private final RegistryClient registry = RegistryClient.connect(RegistryConfig.of("mock://round-trip"));

    static Stream<TopicSpec> avroTopics() {
        return Topics.all().stream().filter(t -> t.value() instanceof ValueFormat.Avro);
    }

    @ParameterizedTest
    @MethodSource("avroTopics")
    void exampleEventsRoundTrip(TopicSpec topic) {
        Class<? extends SpecificRecord> type = ((ValueFormat.Avro) topic.value()).type();
        EventSerializer<GenericRecord> serializer = new EventSerializer<>(registry);
        EventDecoder<? extends SpecificRecord> decoder = EventDecoder.specific(registry, type);
        List<GenericRecord> examples = Examples.of(topic);
        assertFalse(examples.isEmpty(), "no example events for " + topic.name());

        for (GenericRecord example : examples) {
            byte[] bytes = serializer.serialize(topic.name(), example);
            assertEquals(WireFormat.MAGIC_BYTE, bytes[0]);
            SpecificRecord decoded = decoder.decode(topic.name(), 0, 0L, bytes);

            assertInstanceOf(type, decoded);
            assertEquals(AvroToJson.write(example), AvroToJson.write(decoded));
            Envelope envelope = (Envelope) decoded.get(0);
            assertEquals(type.getSimpleName(), envelope.getType());
            String expectedSubject = String.join("/", topic.keyFields().stream().map(f -> example.get(f).toString()).toList());
            assertEquals(expectedSubject, envelope.getSubject());
        }
    }
}
