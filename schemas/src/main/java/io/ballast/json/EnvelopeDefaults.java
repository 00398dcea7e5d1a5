package io.ballast.json;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ballast.catalog.TopicSpec;
import org.apache.avro.Schema;

/**
 * Fills what a JSON event may leave out of its envelope: a fresh {@code eventId}, the {@code type}
 * (the payload's record name), the {@code source}, the {@code subject} (from the topic's key fields),
 * {@code occurredAt} and {@code recordedAt} (now) and the {@code tenant}. What the event gives is kept.
 */
public final class EnvelopeDefaults {
    private final String source;
    private final Clock clock;
    private final Supplier<UUID> ids;

    public EnvelopeDefaults(String source, Clock clock, Supplier<UUID> ids) {
        this.source = source;
        this.clock = clock;
        this.ids = ids;
    }

    /** Returns {@code event} with its envelope completed, in place. */
    public ObjectNode fill(ObjectNode event, TopicSpec topic, Schema schema) {
        JsonNode given = event.get("envelope");
        if (given != null && !given.isObject()) {
            throw new InvalidEventException("$.envelope", "expected an object, got " + given.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        ObjectNode envelope = given == null ? event.putObject("envelope") : (ObjectNode) given;
        long now = clock.millis();
        putIfAbsent(envelope, "eventId", () -> ids.get().toString());
        putIfAbsent(envelope, "type", schema::getName);
        putIfAbsent(envelope, "source", () -> source);
        putIfAbsent(envelope, "subject", () -> subject(event, topic.keyFields()));
        if (!envelope.has("occurredAt")) {
            envelope.put("occurredAt", now);
        }
        if (!envelope.has("recordedAt")) {
            envelope.put("recordedAt", now);
        }
        return event;
    }

    private static void putIfAbsent(ObjectNode envelope, String field, Supplier<String> value) {
        if (!envelope.has(field)) {
            envelope.put(field, value.get());
        }
    }

    /** The key fields' values joined by '/': the record key and the envelope subject. */
    private static String subject(ObjectNode event, List<String> keyFields) {
        StringBuilder subject = new StringBuilder();
        for (String field : keyFields) {
            JsonNode value = event.get(field);
            if (value == null || !value.isValueNode() || value.isNull() || value.asText().isEmpty()) {
                throw new InvalidEventException("$." + field, "missing required field (the record key is built from it)");
            }
            if (!subject.isEmpty()) {
                subject.append('/');
            }
            subject.append(value.asText());
        }
        return subject.toString();
    }
}
