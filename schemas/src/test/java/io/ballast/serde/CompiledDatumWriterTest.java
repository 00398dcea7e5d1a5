package io.ballast.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import io.ballast.catalog.TopicSpec;
import io.ballast.catalog.Topics;
import io.ballast.catalog.ValueFormat;
import io.ballast.events.Envelope;
import io.ballast.events.InstancePhase;
import io.ballast.events.MetricKind;
import io.ballast.events.MetricSample;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The compiled writer's bytes are Avro's own writers' bytes, and a value Avro refuses is refused. */
class CompiledDatumWriterTest {
    /** Every shape the compiled writer has a node for, logical types in and out of unions. */
    private static final Schema SHAPES = new Schema.Parser().parse("""
            {"type": "record", "name": "Shapes", "namespace": "test", "fields": [
              {"name": "s", "type": "string"},
              {"name": "i", "type": "int"}, {"name": "l", "type": "long"}, {"name": "f", "type": "float"},
              {"name": "d", "type": "double"}, {"name": "b", "type": "boolean"}, {"name": "n", "type": "null"},
              {"name": "bytes", "type": "bytes"}, {"name": "fixed", "type": {"type": "fixed", "name": "Four", "size": 4}},
              {"name": "e", "type": {"type": "enum", "name": "Colour", "symbols": ["RED", "GREEN", "BLUE"]}},
              {"name": "a", "type": {"type": "array", "items": ["null", "long", "string"]}},
              {"name": "m", "type": {"type": "map", "values": {"type": "record", "name": "Inner", "fields": [
                {"name": "x", "type": ["null", "double"], "default": null}]}}},
              {"name": "u", "type": ["null", "string", "long", "Inner", "Colour"]},
              {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
              {"name": "maybeAt", "type": ["null", {"type": "long", "logicalType": "timestamp-millis"}]},
              {"name": "id", "type": {"type": "string", "logicalType": "uuid"}}
            ]}""");

    static Stream<TopicSpec> avroTopics() {
        return Topics.all().stream().filter(t -> t.value() instanceof ValueFormat.Avro);
    }

    @ParameterizedTest
    @MethodSource("avroTopics")
    void everyExampleEventIsEncodedAsAvroEncodesItAsGenericAndAsGeneratedRecord(TopicSpec topic) throws IOException {
        Class<? extends SpecificRecord> type = ((ValueFormat.Avro) topic.value()).type();
        List<GenericRecord> examples = Examples.of(topic);
        assertFalse(examples.isEmpty(), "no example events for " + topic.name());
        for (GenericRecord example : examples) {
            Schema schema = example.getSchema();
            byte[] generic = encode(new GenericDatumWriter<>(schema), example);
            assertArrayEquals(generic, encode(CompiledDatumWriter.of(schema, GenericData.get()), example));

            SpecificRecord specific = new SpecificDatumReader<SpecificRecord>(schema, SpecificData.get().getSchema(type))
                    .read(null, DecoderFactory.get().binaryDecoder(generic, null));
            // not the generic bytes: a decoded map (HashMap) can iterate its entries in another order
            assertArrayEquals(encode(new SpecificDatumWriter<>(schema), specific),
                    encode(CompiledDatumWriter.of(schema, SpecificData.getForSchema(schema)), specific));
        }
    }

    @Test
    void everyShapeIsEncodedAsGenericDatumWriterEncodesIt() throws IOException {
        Schema inner = SHAPES.getField("m").schema().getValueType();
        Schema colour = SHAPES.getField("e").schema();
        List<Object> unionValues = List.of(new Utf8("utf8 ünïcødé"), "plain", 42L, record(inner, "x", 1.5),
                new GenericData.EnumSymbol(colour, "GREEN"));
        for (Object u : unionValues) {
            for (int items : new int[] {0, 1, 3}) {
                GenericRecord shapes = shapes(colour, inner, u, items);
                assertArrayEquals(encode(new GenericDatumWriter<>(SHAPES), shapes), encode(CompiledDatumWriter.of(SHAPES, GenericData.get()), shapes),
                        "union value " + u + ", " + items + " items");
            }
        }
        GenericRecord withNull = shapes(colour, inner, null, 2);
        assertArrayEquals(encode(new GenericDatumWriter<>(SHAPES), withNull), encode(CompiledDatumWriter.of(SHAPES, GenericData.get()), withNull));
    }

    @Test
    void logicalTypesAreConvertedWhereTheModelHasAConversionForTheValuesClass() throws IOException {
        Schema inner = SHAPES.getField("m").schema().getValueType();
        Schema colour = SHAPES.getField("e").schema();
        GenericData withConversions = new GenericData();
        withConversions.addLogicalTypeConversion(new org.apache.avro.data.TimeConversions.TimestampMillisConversion());
        withConversions.addLogicalTypeConversion(new org.apache.avro.Conversions.UUIDConversion());
        GenericRecord converted = shapes(colour, inner, "u", 1);
        converted.put("at", Instant.ofEpochMilli(1_700_000_000_123L));
        converted.put("maybeAt", Instant.ofEpochMilli(-5L));
        converted.put("id", UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
        byte[] avro = encode(new GenericDatumWriter<>(SHAPES, withConversions), converted);
        assertArrayEquals(avro, encode(CompiledDatumWriter.of(SHAPES, withConversions), converted));
        // the raw values of the same instants encode the same bytes, with or without conversions in the model
        GenericRecord raw = shapes(colour, inner, "u", 1);
        raw.put("at", 1_700_000_000_123L);
        raw.put("maybeAt", -5L);
        raw.put("id", "123e4567-e89b-12d3-a456-426614174000");
        assertArrayEquals(avro, encode(CompiledDatumWriter.of(SHAPES, withConversions), raw));
        assertArrayEquals(avro, encode(CompiledDatumWriter.of(SHAPES, GenericData.get()), raw));
    }

    @Test
    void valuesAvroRefusesAreRefused() {
        Schema inner = SHAPES.getField("m").schema().getValueType();
        Schema colour = SHAPES.getField("e").schema();
        DatumWriter<Object> compiled = CompiledDatumWriter.of(SHAPES, GenericData.get());
        GenericRecord nullString = shapes(colour, inner, null, 1);
        nullString.put("s", null);
        GenericRecord intInUnion = shapes(colour, inner, 7, 1); // the union has long, not int
        GenericRecord unknownSymbol = shapes(colour, inner, null, 1);
        unknownSymbol.put("e", new GenericData.EnumSymbol(colour, "PURPLE"));
        GenericRecord stringAsLong = shapes(colour, inner, null, 1);
        stringAsLong.put("l", "12");
        GenericRecord stringAsSymbol = shapes(colour, inner, null, 1);
        stringAsSymbol.put("e", "RED"); // a generic record's enum is a GenericEnumSymbol
        for (GenericRecord refused : List.of(nullString, intInUnion, unknownSymbol, stringAsLong, stringAsSymbol)) {
            assertThrows(RuntimeException.class, () -> encode(new GenericDatumWriter<>(SHAPES), refused));
            assertThrows(RuntimeException.class, () -> encode(compiled, refused));
        }
    }

    @Test
    void theSerializerReportsAvrosErrorAndTheNextRecordOnTheThreadIsIntact() {
        EventSerializer<MetricSample> serializer = new EventSerializer<>(RegistryClient.connect(RegistryConfig.of("mock://compiled-writer")));
        MetricSample good = sample("cpu");
        byte[] expected = serializer.serialize("ballast.metrics.raw", good);
        MetricSample broken = sample("cpu");
        broken.setUnit(null); // after the envelope and six fields: their bytes are in the encoder's buffer when it fails

        NullPointerException refused = assertThrows(NullPointerException.class, () -> serializer.serialize("ballast.metrics.raw", broken));
        assertTrue(refused.getMessage().contains("unit"), refused.getMessage());
        assertArrayEquals(expected, serializer.serialize("ballast.metrics.raw", good));
        assertEquals(good, EventDecoder.specific(RegistryClient.connect(RegistryConfig.of("mock://compiled-writer")), MetricSample.class)
                .decode("ballast.metrics.raw", 0, 0L, expected));
    }

    @Test
    void oneSerializerWritesAGenericRecordAndAGeneratedRecordOfTheSameSchemaAlike() throws IOException {
        EventSerializer<IndexedRecord> serializer = new EventSerializer<>(RegistryClient.connect(RegistryConfig.of("mock://compiled-models")));
        MetricSample specific = sample("cpu");
        byte[] body = encode(new SpecificDatumWriter<>(MetricSample.getClassSchema()), specific);
        GenericRecord generic = new org.apache.avro.generic.GenericDatumReader<GenericRecord>(MetricSample.getClassSchema())
                .read(null, DecoderFactory.get().binaryDecoder(body, null));
        // the generic record first: its writer (longs for the timestamps) must not serve the generated class (Instants)
        byte[] fromGeneric = serializer.serialize("ballast.metrics.raw", generic);
        assertArrayEquals(fromGeneric, serializer.serialize("ballast.metrics.raw", specific));
        assertArrayEquals(fromGeneric, serializer.serialize("ballast.metrics.raw", generic));
    }

    private static MetricSample sample(String metric) {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        return MetricSample.newBuilder()
                .setEnvelope(Envelope.newBuilder().setEventId(UUID.nameUUIDFromBytes(new byte[] {1})).setType("MetricSample")
                        .setSource("test").setSubject("checkout").setOccurredAt(at).setRecordedAt(at).build())
                .setService("checkout").setInstance("checkout-0").setMetric(metric).setKind(MetricKind.COUNTER)
                .setValue(0.42).setUnit("cores").setLabels(Map.of("zone", "a")).setPhase(InstancePhase.PENDING)
                .setStartedAt(at).setResourceRequest(0.5).build();
    }

    private static GenericRecord shapes(Schema colour, Schema inner, Object union, int items) {
        GenericRecord r = new GenericData.Record(SHAPES);
        r.put("s", "ascii and ü");
        r.put("i", -3);
        r.put("l", Long.MIN_VALUE);
        r.put("f", 1.25f);
        r.put("d", Double.NaN);
        r.put("b", true);
        r.put("n", null);
        r.put("bytes", ByteBuffer.wrap(new byte[] {1, 2, 3}));
        r.put("fixed", new GenericData.Fixed(SHAPES.getField("fixed").schema(), new byte[] {9, 8, 7, 6}));
        r.put("e", new GenericData.EnumSymbol(colour, "BLUE"));
        List<Object> array = new ArrayList<>();
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < items; i++) {
            array.add(i % 3 == 0 ? null : i % 3 == 1 ? (Object) (long) i : "item " + i);
            map.put("k" + i, record(inner, "x", i % 2 == 0 ? null : (Object) (i * 0.5)));
        }
        r.put("a", array);
        r.put("m", map);
        r.put("u", union);
        r.put("at", 1_700_000_000_123L);
        r.put("maybeAt", items == 0 ? null : (Object) 12L);
        r.put("id", "123e4567-e89b-12d3-a456-426614174000");
        return r;
    }

    private static GenericRecord record(Schema schema, String field, Object value) {
        GenericRecord r = new GenericData.Record(schema);
        r.put(field, value);
        return r;
    }

    @SuppressWarnings("unchecked")
    private static byte[] encode(DatumWriter<?> writer, Object datum) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            ((DatumWriter<Object>) writer).write(datum, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
