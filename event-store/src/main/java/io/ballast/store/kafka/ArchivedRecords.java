package io.ballast.store.kafka;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import io.ballast.registry.RegistryClient;
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
    private static final ObjectMapper JSON = new ObjectMapper();
    private ArchivedRecords() {
    }

    /** The header that keeps a record's original key when the stream name cannot (see {@link #acceptable}). */
    static final String KEY_HEADER = "ballast.store.key";
    /** Streams of refused-record entries: {@code ballast.store.refused/<topic>}. */
    static final String REFUSED_PREFIX = "ballast.store.refused/";

    /**
     * The record as the store accepts it: as it is when it can be; with a key the store cannot take in a stream
     * name (a control character, over 512 characters) under {@code topic/~key:<sha-256 of the key>} with the key
     * kept in {@value #KEY_HEADER}; and if the store still refuses it (too large, no type), as a refused-record
     * entry that names its origin, size, digest and the reason. Nothing read is dropped without a trace.
     */
    static EventStore.Archived acceptable(ConsumerRecord<byte[], byte[]> r, EventDecoder<GenericRecord> decoder,
                                          Function<EventStore.Archived, Optional<String>> refusal) {
        EventStore.Archived archived = of(r, decoder);
        if (EventStore.streamNameRefusal(archived.stream()).isPresent()) {
            NewEvent e = archived.event();
            Map<String, byte[]> headers = new TreeMap<>(e.headers());
            headers.put(KEY_HEADER, r.key());
            archived = new EventStore.Archived(r.topic() + "/~key:" + sha256(r.key()),
                    new NewEvent(e.eventId(), e.type(), e.occurredAt(), e.data(), headers, e.origin()));
        }
        Optional<String> reason = refusal.apply(archived);
        return reason.isEmpty() ? archived : refused(r, reason.get());
    }

    private static EventStore.Archived refused(ConsumerRecord<byte[], byte[]> r, String reason) {
        ObjectNode entry = JSON.createObjectNode().put("topic", r.topic()).put("partition", r.partition()).put("offset", r.offset())
                .put("timestamp", r.timestamp()).put("reason", reason)
                .put("keyBytes", r.key() == null ? 0 : r.key().length).put("valueBytes", r.value() == null ? 0 : r.value().length)
                .put("valueSha256", r.value() == null ? null : sha256(r.value()));
        UUID id = coordinates(r);
        byte[] data = entry.toString().getBytes(StandardCharsets.UTF_8);
        return new EventStore.Archived(REFUSED_PREFIX + r.topic(), new NewEvent(id, "RefusedRecord", Instant.ofEpochMilli(r.timestamp()),
                data, Map.of(), new Origin(r.topic(), r.partition(), r.offset())));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /** The decoder {@link #of} needs: the envelope's id, type and event time of any event, the rest skipped. */
    static EventDecoder<GenericRecord> envelopeDecoder(RegistryClient registry) {
        return EventDecoder.envelopeOnly(registry, "eventId", "type", "occurredAt");
    }

    static EventStore.Archived of(ConsumerRecord<byte[], byte[]> r, EventDecoder<GenericRecord> decoder) {
        String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
        Map<String, byte[]> headers = new TreeMap<>();
        for (Header h : r.headers()) {
            headers.put(h.key(), h.value() == null ? new byte[0] : h.value());
        }
        byte[] data = r.value() == null ? new byte[0] : r.value();
        Origin origin = new Origin(r.topic(), r.partition(), r.offset());
        NewEvent event;
        if (r.topic().equals("ballast.dlq") || r.value() == null) {
            event = new NewEvent(coordinates(r), r.value() == null ? "Tombstone" : "DeadLetter", Instant.ofEpochMilli(r.timestamp()), data,
                    headers, origin);
        } else {
            event = decoded(r, decoder, data, headers, origin);
        }
        return new EventStore.Archived(r.topic() + "/" + key, event);
    }

    /** The id of a record that has none of its own (a tombstone, a dead letter, bytes that do not decode): from where it was read. */
    private static UUID coordinates(ConsumerRecord<byte[], byte[]> r) {
        return UUID.nameUUIDFromBytes((r.topic() + "/" + r.partition() + "/" + r.offset()).getBytes(StandardCharsets.UTF_8));
    }

    private static NewEvent decoded(ConsumerRecord<byte[], byte[]> r, EventDecoder<GenericRecord> decoder, byte[] data,
                                    Map<String, byte[]> headers, Origin origin) {
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
            return new NewEvent(coordinates(r), "Undecodable", Instant.ofEpochMilli(r.timestamp()), data, headers, origin);
        }
    }
}
