package io.ballast.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ballast.catalog.Topics;
import io.ballast.events.MetricSample;
import io.ballast.events.ScalingPolicy;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonToAvroTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UUID ID = UUID.fromString("0b6e0e8e-7d2a-4d7e-9d43-1f0c8e3a1c11");
    private final EnvelopeDefaults defaults = new EnvelopeDefaults("cli",
            Clock.fixed(Instant.ofEpochMilli(1_767_225_600_000L), ZoneOffset.UTC), () -> ID);

    private GenericRecord sample(String json) throws Exception {
        Schema schema = MetricSample.getClassSchema();
        return JsonToAvro.read(defaults.fill((ObjectNode) JSON.readTree(json), Topics.METRICS_RAW, schema), schema);
    }

    private GenericRecord policy(String json) throws Exception {
        Schema schema = ScalingPolicy.getClassSchema();
        return JsonToAvro.read(defaults.fill((ObjectNode) JSON.readTree(json), Topics.POLICIES, schema), schema);
    }

    @Test
    void fillsTheEnvelopeAndTheDefaults() throws Exception {
        GenericRecord sample = sample("{\"service\":\"checkout\",\"instance\":\"a\",\"metric\":\"cpu\",\"value\":0.5}");
        GenericRecord envelope = (GenericRecord) sample.get("envelope");
        assertEquals(ID.toString(), envelope.get("eventId"));
        assertEquals("MetricSample", envelope.get("type"));
        assertEquals("cli", envelope.get("source"));
        assertEquals("checkout", envelope.get("subject"));
        assertEquals(1_767_225_600_000L, envelope.get("occurredAt"));
        assertEquals("default", envelope.get("tenant"));
        assertEquals("RUNNING", sample.get("phase").toString());
        assertEquals(true, sample.get("ready"));
        assertEquals(null, sample.get("resourceRequest"));
    }

    @Test
    void keepsWhatTheEnvelopeGives() throws Exception {
        GenericRecord sample = sample("{\"service\":\"checkout\",\"instance\":\"a\",\"metric\":\"cpu\",\"value\":0.5,"
                + "\"envelope\":{\"occurredAt\":\"2026-01-01T00:00:15Z\",\"tenant\":\"acme\"}}");
        GenericRecord envelope = (GenericRecord) sample.get("envelope");
        assertEquals(1_767_225_615_000L, envelope.get("occurredAt"));
        assertEquals("acme", envelope.get("tenant"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"service\":\"checkout\",\"instance\":\"a\",\"metric\":\"cpu\",\"value\":\"high\"}|$.value: expected a number, got string \"high\"",
        "{\"service\":\"checkout\",\"instance\":\"a\",\"metric\":\"cpu\"}|$.value: missing required field (double)",
        "{\"instance\":\"a\",\"metric\":\"cpu\",\"value\":1}|$.service: missing required field (the record key is built from it)",
        "{\"service\":\"checkout\",\"instance\":\"a\",\"metric\":\"cpu\",\"value\":1,\"colour\":\"red\"}|$.colour: unknown field; MetricSample has: envelope, service, instance, metric, kind, value, unit, labels, phase, ready, deleted, startedAt, readinessChangedAt, resourceRequest",
        "{\"service\":\"checkout\",\"instance\":\"a\",\"metric\":\"cpu\",\"value\":1,\"phase\":\"running\"}|$.phase: expected one of [PENDING, RUNNING, FAILED], got string \"running\"",
        "{\"service\":\"checkout\",\"instance\":\"a\",\"metric\":\"cpu\",\"value\":1,\"labels\":{\"zone\":3}}|$.labels.zone: expected a string, got number 3",
        "{\"service\":\"checkout\",\"instance\":\"a\",\"metric\":\"cpu\",\"value\":1,\"startedAt\":\"yesterday\"}|$.startedAt: expected epoch milliseconds or an ISO-8601 instant, got \"yesterday\"",
        "{\"service\":\"checkout\",\"instance\":\"a\",\"metric\":\"cpu\",\"value\":1,\"envelope\":{\"eventId\":\"nope\"}}|$.envelope.eventId: expected a UUID, got \"nope\"",
    })
    void refusesWithThePathAndWhatWasExpected(String json, String message) {
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> sample(json));
        assertEquals(message, e.getMessage());
    }

    @Test
    void nestedArraysNameTheirIndex() throws Exception {
        String policy = "{\"service\":\"s\",\"version\":1,\"maxReplicas\":3,\"metrics\":[{\"name\":\"cpu\",\"target\":70},{\"name\":\"rps\",\"target\":2.5e10, \"targetType\":\"VALUE\", \"allowIdleConsumers\": 1}]}";
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> policy(policy));
        assertEquals("$.metrics[1].allowIdleConsumers: expected true or false, got number 1", e.getMessage());
    }

    @Test
    void anIntOutOfRangeIsRefused() throws Exception {
        String policy = "{\"service\":\"s\",\"version\":1,\"maxReplicas\":3000000000,\"metrics\":[]}";
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> policy(policy));
        assertEquals("$.maxReplicas: expected a 32-bit integer, got number 3000000000", e.getMessage());
    }
}
