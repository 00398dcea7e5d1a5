package io.ballast.store;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * An event to append.
 *
 * @param data    the event's bytes as they travel (Avro in the Confluent wire format for Ballast events)
 * @param headers Kafka headers kept with it
 * @param origin  where ingest read it, or null for an event appended through the API
 */
public record NewEvent(UUID eventId, String type, Instant occurredAt, byte[] data, Map<String, byte[]> headers, Origin origin) {
    public NewEvent {
        headers = new TreeMap<>(headers == null ? Map.of() : headers);
    }

    public static NewEvent of(UUID eventId, String type, Instant occurredAt, byte[] data) {
        return new NewEvent(eventId, type, occurredAt, data, Map.of(), null);
    }
}
