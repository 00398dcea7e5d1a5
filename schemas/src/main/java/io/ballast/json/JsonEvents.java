package io.ballast.json;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ballast.catalog.TopicSpec;
import io.ballast.catalog.ValueFormat;
import io.ballast.serde.EventSerializer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/** A JSON event as {@code ballast produce} sends it: envelope completed, converted to Avro, in the wire format, keyed by subject. */
public final class JsonEvents {
    /** The encoded event and what its envelope says. */
    public record Encoded(byte[] key, byte[] value, UUID eventId, String type, Instant occurredAt) {
        public String subject() {
            return new String(key, StandardCharsets.UTF_8);
        }
    }

    private JsonEvents() {
    }

    /** Encodes {@code event} for {@code topic}; throws {@link InvalidEventException} naming the path of what is wrong. */
    public static Encoded encode(TopicSpec topic, ObjectNode event, EnvelopeDefaults defaults, EventSerializer<GenericRecord> serializer) {
        if (!(topic.value() instanceof ValueFormat.Avro avro)) {
            throw new InvalidEventException("$", topic.name() + " holds raw bytes, not events");
        }
        Schema schema = avro.schema();
        GenericRecord record = JsonToAvro.read(defaults.fill(event, topic, schema), schema);
        GenericRecord envelope = (GenericRecord) record.get("envelope");
        Object occurred = envelope.get("occurredAt");
        return new Encoded(envelope.get("subject").toString().getBytes(StandardCharsets.UTF_8), serializer.serialize(topic.name(), record),
                UUID.fromString(envelope.get("eventId").toString()), envelope.get("type").toString(),
                occurred instanceof Instant i ? i : Instant.ofEpochMilli(((Number) occurred).longValue()));
    }
}
