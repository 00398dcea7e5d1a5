package io.ballast.store.http;

import java.util.Base64;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ballast.json.AvroToJson;
import io.ballast.serde.EventDecoder;
import io.ballast.serde.UndecodableRecordException;
import io.ballast.store.StoredEvent;
import org.apache.avro.generic.GenericRecord;

/** Stored events as JSON: Avro payloads decoded (as {@code ballast consume} prints them), other bytes as text or base64. */
final class EventJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private EventJson() {
    }

    static ObjectNode of(StoredEvent e, EventDecoder<GenericRecord> decoder) {
        ObjectNode json = MAPPER.createObjectNode().put("position", e.position()).put("stream", e.stream()).put("version", e.version())
                .put("eventId", e.eventId().toString()).put("type", e.type()).put("occurredAt", e.occurredAt().toString())
                .put("recordedAt", e.recordedAt().toString());
        if (e.origin() != null) {
            json.putObject("origin").put("topic", e.origin().topic()).put("partition", e.origin().partition()).put("offset", e.origin().offset());
        }
        if (!e.headers().isEmpty()) {
            ObjectNode headers = json.putObject("headers");
            e.headers().forEach((k, v) -> headers.put(k, new String(v, java.nio.charset.StandardCharsets.UTF_8)));
        }
        try {
            if (e.data().length > 5 && e.data()[0] == 0) {
                json.set("data", AvroToJson.write(decoder.decode(e.stream(), -1, e.position(), e.data())));
                return json;
            }
        } catch (UndecodableRecordException ex) {
            // not an event in the wire format: shown as bytes below
        }
        try {
            json.set("data", MAPPER.readTree(e.data()));
        } catch (java.io.IOException | RuntimeException ex) {
            json.put("dataBase64", Base64.getEncoder().encodeToString(e.data()));
        }
        return json;
    }
}
