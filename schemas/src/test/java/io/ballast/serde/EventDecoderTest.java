package io.ballast.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;

import io.ballast.catalog.Topics;
import io.ballast.events.Action;
import io.ballast.events.MetricSample;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Each way bytes can be wrong gives its own failure, at the record's coordinates. */
class EventDecoderTest {
    private final RegistryClient registry = RegistryClient.connect(RegistryConfig.of("mock://decoder"));
    private final EventSerializer<GenericRecord> serializer = new EventSerializer<>(registry);
    private final EventDecoder<MetricSample> samples = EventDecoder.specific(registry, MetricSample.class);

    private byte[] validSample() {
        return serializer.serialize(Topics.METRICS_RAW.name(), Examples.of(Topics.METRICS_RAW).get(0));
    }

    private UndecodableRecordException failing(byte[] bytes) {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("ballast.metrics.raw", 3, 42L, null, bytes);
        return assertThrows(UndecodableRecordException.class, () -> samples.decode(record));
    }

    @Test
    void aValidSampleDecodes() {
        MetricSample sample = samples.decode("ballast.metrics.raw", 0, 0, validSample());
        assertEquals("checkout", sample.getService());
        assertEquals(0.42, sample.getValue());
    }

    @Test
    void aTombstoneDecodesToNull() {
        assertNull(samples.decode("ballast.metrics.raw", 0, 0, null));
    }

    @Test
    void wrongMagicByte() {
        byte[] bytes = validSample();
        bytes[0] = 7;
        UndecodableRecordException e = failing(bytes);
        assertEquals(DecodeFailure.WRONG_MAGIC_BYTE, e.failure());
        assertEquals("ballast.metrics.raw", e.topic());
        assertEquals(3, e.partition());
        assertEquals(42L, e.offset());
        assertEquals("WRONG_MAGIC_BYTE at ballast.metrics.raw-3@42: first byte is 0x07, not the magic byte 0x00: not Confluent wire format",
                e.getMessage());
    }

    @Test
    void shorterThanTheHeader() {
        UndecodableRecordException e = failing(new byte[] {0, 0, 1});
        assertEquals(DecodeFailure.TRUNCATED, e.failure());
        assertEquals("3 bytes, fewer than the 5-byte wire-format header", e.detail());
    }

    @Test
    void truncatedBody() {
        byte[] bytes = validSample();
        UndecodableRecordException e = failing(Arrays.copyOf(bytes, bytes.length - 10));
        assertEquals(DecodeFailure.TRUNCATED, e.failure());
    }

    @Test
    void unknownSchemaId() {
        byte[] bytes = validSample();
        ByteBuffer.wrap(bytes).putInt(1, 999_999);
        UndecodableRecordException e = failing(bytes);
        assertEquals(DecodeFailure.UNKNOWN_SCHEMA_ID, e.failure());
        assertTrue(e.detail().startsWith("schema id 999999 is unknown to the registry at mock://decoder"), e.detail());
    }

    @Test
    void anotherEventTypeIsASchemaMismatch() {
        byte[] action = serializer.serialize(Topics.ACTIONS.name(), Examples.of(Topics.ACTIONS).get(0));
        UndecodableRecordException e = failing(action);
        assertEquals(DecodeFailure.SCHEMA_MISMATCH, e.failure());
        assertTrue(e.detail().contains("(io.ballast.events.Action) cannot be read as io.ballast.events.MetricSample"), e.detail());
    }

    @Test
    void leftoverBytesAreCorrupt() {
        byte[] bytes = validSample();
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
        UndecodableRecordException e = failing(longer);
        assertEquals(DecodeFailure.CORRUPT_PAYLOAD, e.failure());
    }

    @Test
    void aRecordOfAnotherTypeStillDecodesGenerically() {
        byte[] action = serializer.serialize(Topics.ACTIONS.name(), Examples.of(Topics.ACTIONS).get(0));
        GenericRecord record = EventDecoder.generic(registry).decode("x", 0, 0, action);
        assertEquals(Action.getClassSchema().getFullName(), record.getSchema().getFullName());
        assertEquals("deploy", record.get("action").toString());
    }

    @Test
    void envelopeOnlyKeepsTheNamedFieldsOfEveryTopicsEventsAndSkipsTheRest() {
        EventDecoder<GenericRecord> envelopes = EventDecoder.envelopeOnly(registry, "eventId", "type", "occurredAt");
        int checked = 0;
        for (io.ballast.catalog.TopicSpec topic : Topics.all()) {
            if (!(topic.value() instanceof io.ballast.catalog.ValueFormat.Avro)
                    || !java.nio.file.Files.exists(Examples.DIR.resolve(topic.name() + ".ndjson"))) {
                continue;
            }
            checked++;
            for (GenericRecord event : Examples.of(topic)) {
                GenericRecord full = (GenericRecord) event.get("envelope");
                GenericRecord envelope = (GenericRecord) envelopes.decode(topic.name(), 0, 0, serializer.serialize(topic.name(), event)).get("envelope");
                assertEquals(3, envelope.getSchema().getFields().size(), topic::name);
                assertEquals(full.get("eventId").toString(), envelope.get("eventId").toString(), topic::name);
                assertEquals(full.get("type").toString(), envelope.get("type").toString(), topic::name);
                assertEquals(((Number) full.get("occurredAt")).longValue(), envelope.get("occurredAt"), topic::name);
            }
        }
        assertTrue(checked >= 10, "topics with examples: " + checked);
    }

    @Test
    void envelopeOnlyStillFindsTruncatedAndLeftoverBytesAndRecordsWithoutAnEnvelope() {
        EventDecoder<GenericRecord> envelopes = EventDecoder.envelopeOnly(registry, "eventId", "type", "occurredAt");
        byte[] bytes = validSample();
        assertEquals(DecodeFailure.TRUNCATED, assertThrows(UndecodableRecordException.class,
                () -> envelopes.decode("t", 0, 0, Arrays.copyOf(bytes, bytes.length - 10))).failure());
        assertEquals(DecodeFailure.CORRUPT_PAYLOAD, assertThrows(UndecodableRecordException.class,
                () -> envelopes.decode("t", 0, 0, Arrays.copyOf(bytes, bytes.length + 3))).failure());
        org.apache.avro.Schema plain = org.apache.avro.SchemaBuilder.record("Plain").fields().requiredString("name").endRecord();
        GenericRecord record = new org.apache.avro.generic.GenericData.Record(plain);
        record.put("name", "no envelope");
        UndecodableRecordException e = assertThrows(UndecodableRecordException.class,
                () -> envelopes.decode("t", 0, 0, serializer.serialize("other", record)));
        assertEquals(DecodeFailure.SCHEMA_MISMATCH, e.failure());
        assertTrue(e.detail().endsWith("(Plain) has no envelope record with the fields [eventId, type, occurredAt]"), e.detail());
    }
}
