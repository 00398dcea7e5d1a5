package io.ballast.store.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import io.ballast.serde.EventDecoder;
import io.ballast.serde.UndecodableRecordException;
import io.ballast.store.EventStore;
import io.ballast.store.NewEvent;
import io.ballast.store.Origin;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * A consumed Kafka record as the event the store archives: stream {@code topic/key}, id, type and event time
 * from the envelope, the bytes as they were, headers, and where it was read. A record whose bytes do not
 * decode is archived too (type {@code Undecodable}, id derived from its coordinates): the archive keeps
 * everything a topic held.
 */
final class ArchivedRecords {
    private ArchivedRecords() {
    }

    static EventStore.Archived of(ConsumerRecord<byte[], byte[]> r, EventDecoder<GenericRecord> decoder) {
        String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
        Map<String, byte[]> headers = new TreeMap<>();
        for (Header h : r.headers()) {
            headers.put(h.key(), h.value() == null ? new byte[0] : h.value());
        }
        byte[] data = r.value() == null ? new byte[0] : r.value();
        Origin origin = new Origin(r.topic(), r.partition(), r.offset());
        UUID coordinates = UUID.nameUUIDFromBytes((r.topic() + "/" + r.partition() + "/" + r.offset()).getBytes(StandardCharsets.UTF_8));
        NewEvent event;
        if (r.topic().equals("ballast.dlq") || r.value() == null) {
            event = new NewEvent(coordinates, r.value() == null ? "Tombstone" : "DeadLetter", Instant.ofEpochMilli(r.timestamp()), data,
                    headers, origin);
        } else {
            event = decoded(r, decoder, data, headers, origin, coordinates);
        }
        return new EventStore.Archived(r.topic() + "/" + key, event);
    }

    private static NewEvent decoded(ConsumerRecord<byte[], byte[]> r, EventDecoder<GenericRecord> decoder, byte[] data,
                                    Map<String, byte[]> headers, Origin origin, UUID coordinates) {
        try {
            GenericRecord value = decoder.decode(r);
            GenericRecord envelope = (GenericRecord) value.get("envelope");
            UUID id = UUID.fromString(envelope.get("eventId").toString());
            String type = envelope.get("type").toString();
            Object occurred = envelope.get("occurredAt");
            Instant at = occurred instanceof Instant i ? i : Instant.ofEpochMilli(((Number) occurred).longValue());
            return new NewEvent(id, type, at, data, headers, origin);
        } catch (UndecodableRecordException | ClassCastException | NullPointerException | IllegalArgumentException e) {
            // permanent: the bytes are not a Ballast event; a registry that cannot be reached is not caught here
            return new NewEvent(coordinates, "Undecodable", Instant.ofEpochMilli(r.timestamp()), data, headers, origin);
        }
    }
}
