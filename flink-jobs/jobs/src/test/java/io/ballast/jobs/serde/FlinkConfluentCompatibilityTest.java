package io.ballast.jobs.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.junit.WithRegistry;
import io.ballast.events.Envelope;
import io.ballast.events.MetricSample;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import io.ballast.serde.EventSerializer;
import org.apache.flink.avro.shaded.org.apache.avro.Schema;
import org.apache.flink.avro.shaded.org.apache.avro.generic.GenericRecord;
import org.apache.flink.formats.avro.registry.confluent.ConfluentRegistryAvroDeserializationSchema;
import org.junit.jupiter.api.Test;

/** Bytes our serde writes are what Flink's own Confluent-registry Avro format reads. */
@WithRegistry
class FlinkConfluentCompatibilityTest {

    static MetricSample sample() {
        return MetricSample.newBuilder()
                .setEnvelope(Envelope.newBuilder()
                        .setEventId(UUID.fromString("6f1c1b1e-0a7e-4a5e-8c1c-2f0c9a0b3d4e"))
                        .setType("MetricSample").setSource("test").setSubject("checkout")
                        .setOccurredAt(Instant.ofEpochMilli(1_767_225_600_000L))
                        .setRecordedAt(Instant.ofEpochMilli(1_767_225_600_500L))
                        .build())
                .setService("checkout").setInstance("checkout-1").setMetric("cpu").setValue(0.75).setUnit("cores")
                .setLabels(Map.of("zone", "a"))
                .build();
    }

    @Test
    void flinksConfluentDeserializerDecodesOurBytes(ApicurioRegistry registry) throws Exception {
        EventSerializer<MetricSample> serializer = new EventSerializer<>(RegistryClient.connect(RegistryConfig.of(registry.url())));
        byte[] bytes = serializer.serialize("flink-compat", sample());

        Schema readerSchema = new Schema.Parser().parse(MetricSample.getClassSchema().toString());
        ConfluentRegistryAvroDeserializationSchema<GenericRecord> flink =
                ConfluentRegistryAvroDeserializationSchema.forGeneric(readerSchema, registry.url());
        GenericRecord read = flink.deserialize(bytes);

        assertEquals("checkout", read.get("service").toString());
        assertEquals("checkout-1", read.get("instance").toString());
        assertEquals(0.75, read.get("value"));
        assertEquals("RUNNING", read.get("phase").toString());
        GenericRecord envelope = (GenericRecord) read.get("envelope");
        assertEquals("6f1c1b1e-0a7e-4a5e-8c1c-2f0c9a0b3d4e", envelope.get("eventId").toString());
        assertEquals(1_767_225_600_000L, envelope.get("occurredAt"));
    }
}
