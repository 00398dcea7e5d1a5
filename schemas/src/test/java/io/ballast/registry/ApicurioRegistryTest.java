package io.ballast.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;

import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.FreePort;
import io.ballast.embedded.junit.WithRegistry;
import io.ballast.events.MetricSample;
import io.ballast.serde.EventDecoder;
import io.ballast.serde.EventSerializer;
import io.ballast.serde.Examples;
import io.ballast.catalog.Topics;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Our client and serde against a real Apicurio Registry serving the Confluent API. */
@WithRegistry
class ApicurioRegistryTest {
    private static RegistryClient client;

    @BeforeAll
    static void connect(ApicurioRegistry registry) {
        client = RegistryClient.connect(RegistryConfig.of(registry.url()));
    }

    private static Schema v1(String name) {
        return SchemaBuilder.record(name).namespace("test").fields().requiredString("id").endRecord();
    }

    @Test
    void globalCompatibilityIsBackward() {
        assertEquals("BACKWARD", client.compatibility(null));
    }

    @Test
    void registerLookUpByIdAndLatest() {
        Schema schema = v1("Registered");
        int id = client.register("registered-value", schema);
        assertEquals(id, client.register("registered-value", schema), "registering again gives the same id");
        assertEquals(id, client.idOf("registered-value", schema));
        assertEquals(schema, client.schemaById(id));
        Optional<RegisteredSchema> latest = client.latest("registered-value");
        assertTrue(latest.isPresent());
        assertEquals(id, latest.get().id());
        assertEquals(1, latest.get().version());
        assertEquals(schema, latest.get().schema());
        assertEquals(Optional.empty(), client.latest("no-such-subject-value"));
    }

    @Test
    void aBackwardCompatibleChangeIsAVersion() {
        client.register("evolving-value", v1("Evolving"));
        Schema v2 = SchemaBuilder.record("Evolving").namespace("test").fields()
                .requiredString("id").name("note").type().stringType().stringDefault("").endRecord();
        assertTrue(client.isCompatible("evolving-value", v2));
        int id2 = client.register("evolving-value", v2);
        assertEquals(2, client.latest("evolving-value").orElseThrow().version());
        assertEquals(id2, client.latest("evolving-value").orElseThrow().id());
    }

    @Test
    void anIncompatibleChangeIsRefusedWith409() {
        client.register("strict-value", v1("Strict"));
        Schema breaking = SchemaBuilder.record("Strict").namespace("test").fields()
                .requiredString("id").requiredLong("added").endRecord();
        assertFalse(client.isCompatible("strict-value", breaking));
        IncompatibleSchemaException e = assertThrows(IncompatibleSchemaException.class,
                () -> client.register("strict-value", breaking));
        assertEquals("strict-value", e.subject());
        assertTrue(e.getMessage().startsWith("schema refused for subject strict-value (409): "), e.getMessage());
        assertEquals(1, client.latest("strict-value").orElseThrow().version(), "the refused schema is not registered");
    }

    @Test
    void ourSerdeRoundTripsThroughTheRegistry() {
        String topic = "apicurio-roundtrip-" + System.nanoTime();
        EventSerializer<GenericRecord> serializer = new EventSerializer<>(client);
        GenericRecord sample = Examples.of(Topics.METRICS_RAW).get(0);
        byte[] bytes = serializer.serialize(topic, sample);
        int id = java.nio.ByteBuffer.wrap(bytes, 1, 4).getInt();
        assertEquals(id, client.latest(topic + "-value").orElseThrow().id());
        // a fresh client (no cache) decodes by fetching the schema by id
        RegistryClient fresh = RegistryClient.connect(client.config());
        MetricSample decoded = EventDecoder.specific(fresh, MetricSample.class).decode(topic, 0, 0, bytes);
        assertEquals("checkout-7d9f-a", decoded.getInstance());
    }

    @Test
    void aRegistryThatIsDownIsNamedAfterBoundedRetries() {
        String url = "http://127.0.0.1:" + FreePort.find() + "/apis/ccompat/v7";
        RegistryClient down = RegistryClient.connect(RegistryConfig.of(url).withRetries(3, Duration.ofMillis(50)));
        long start = System.nanoTime();
        RegistryUnavailableException e = assertThrows(RegistryUnavailableException.class, () -> down.register("x-value", v1("X")));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(url, e.url());
        assertTrue(e.getMessage().startsWith("the schema registry at " + url + " is unavailable: 3 attempt(s) over "), e.getMessage());
        assertTrue(elapsedMs < 10_000, "bounded retries took " + elapsedMs + " ms");
    }
}
