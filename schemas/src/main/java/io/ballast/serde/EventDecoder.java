package io.ballast.serde;

import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import io.ballast.registry.RegistryClient;
import io.ballast.registry.SchemaNotFoundException;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.SystemLimitException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes Confluent wire-format bytes into events of type {@code T}, resolving the writer's schema
 * (fetched by id, cached) against the reader's. Every way the bytes can be wrong ends in an
 * {@link UndecodableRecordException} with a {@link DecodeFailure}; a registry that cannot be reached
 * is not the record's fault and surfaces as a transient {@link io.ballast.registry.RegistryException}.
 *
 * <p>Thread-safe.
 */
public final class EventDecoder<T> {
    /** The longest string or bytes, and the most items of an array or map, one decoded event may hold. */
    static final long MAX_STRING_BYTES = 16L * 1024 * 1024;
    static final long MAX_COLLECTION_ITEMS = 1_000_000;

    static {
        // Avro trusts a length prefix up to 2 GiB and allocates it before reading: a few hostile bytes would take the
        // heap. Bound it by the largest event Ballast takes (the store archives up to 16 MiB), unless the JVM's owner
        // chose their own limits. Avro reads these once, when its limits class loads: set them before any decode.
        limit("org.apache.avro.limits.string.maxLength", MAX_STRING_BYTES);
        limit("org.apache.avro.limits.bytes.maxLength", MAX_STRING_BYTES);
        limit("org.apache.avro.limits.collectionItems.maxLength", MAX_COLLECTION_ITEMS);
        applyLimitsIfAvroReadThemEarlier();
    }

    /**
     * Avro reads its limits when its limits class loads; if something in this JVM decoded Avro before this class
     * loaded, they are its defaults (2 GiB). Then ask Avro to read them again (its own reset, not public API).
     */
    private static void applyLimitsIfAvroReadThemEarlier() {
        try {
            SystemLimitException.checkMaxStringLength(MAX_STRING_BYTES + 1);
        } catch (SystemLimitException expected) {
            return;
        }
        try {
            java.lang.reflect.Method reset = SystemLimitException.class.getDeclaredMethod("resetLimits");
            reset.setAccessible(true);
            reset.invoke(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(EventDecoder.class).warn("Avro's length limits could not be applied ({}): set "
                    + "-Dorg.apache.avro.limits.string.maxLength={} and bytes.maxLength, collectionItems.maxLength", e, MAX_STRING_BYTES);
        }
    }

    private static void limit(String property, long value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, Long.toString(value));
        }
    }

    private final RegistryClient registry;
    /** The reader's schema, or null to read with the writer's (generic records) or a projection of it ({@link #envelopeFields}). */
    private final Schema readerSchema;
    /** The envelope fields a generic reader keeps (the rest is skipped), or null to keep every field. */
    private final List<String> envelopeFields;
    private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();

    private EventDecoder(RegistryClient registry, Schema readerSchema, List<String> envelopeFields) {
        this.registry = registry;
        this.readerSchema = readerSchema;
        this.envelopeFields = envelopeFields;
    }

    /** Decodes into the generated class {@code type}, with Avro schema resolution from older or newer writers. */
    public static <T extends SpecificRecord> EventDecoder<T> specific(RegistryClient registry, Class<T> type) {
        return new EventDecoder<>(registry, SpecificData.get().getSchema(type), null);
    }

    /** Decodes into generic records with the writer's own schema (for tools that print any topic). */
    public static EventDecoder<GenericRecord> generic(RegistryClient registry) {
        return new EventDecoder<>(registry, null, null);
    }

    /**
     * Decodes only the named fields of any event's envelope: a generic record of the writer's record name whose one
     * field, {@code envelope}, holds them, without logical types (a uuid as a string, times as epoch milliseconds).
     * The rest of the body is skipped, not built, for readers that need every event's header and not its payload
     * (the store's ingest). A writer schema without an envelope record holding these fields is a
     * {@link DecodeFailure#SCHEMA_MISMATCH}.
     */
    public static EventDecoder<GenericRecord> envelopeOnly(RegistryClient registry, String... fields) {
        return new EventDecoder<>(registry, null, List.of(fields));
    }

    /** Decodes a consumed record's value; failures name its topic, partition and offset. */
    public T decode(ConsumerRecord<?, byte[]> record) {
        return decode(record.topic(), record.partition(), record.offset(), record.value());
    }

    /**
     * Decodes {@code bytes}; {@code null} (a tombstone) decodes to {@code null}.
     *
     * @throws UndecodableRecordException when the bytes are not a valid event of this type
     */
    public T decode(String topic, int partition, long offset, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (bytes.length < WireFormat.HEADER_LENGTH) {
            throw failure(topic, partition, offset, DecodeFailure.TRUNCATED,
                    bytes.length + " bytes, fewer than the 5-byte wire-format header", null);
        }
        if (bytes[0] != WireFormat.MAGIC_BYTE) {
            throw failure(topic, partition, offset, DecodeFailure.WRONG_MAGIC_BYTE,
                    String.format("first byte is 0x%02x, not the magic byte 0x00: not Confluent wire format", bytes[0]), null);
        }
        int id = WireFormat.schemaId(bytes);
        DatumReader<T> reader = reader(topic, partition, offset, id);
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, WireFormat.HEADER_LENGTH,
                bytes.length - WireFormat.HEADER_LENGTH, null);
        T value;
        try {
            value = reader.read(null, decoder);
        } catch (EOFException e) {
            throw failure(topic, partition, offset, DecodeFailure.TRUNCATED, "the Avro body of schema id " + id + " ends early", e);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException
                 | UnsupportedOperationException | IllegalArgumentException | ClassCastException | java.time.DateTimeException e) {
            // a logical type's conversion (a uuid that is not one) fails with IllegalArgumentException; a length past
            // Avro's limits with UnsupportedOperationException: both are the bytes' fault, not the reader's
            throw failure(topic, partition, offset, DecodeFailure.CORRUPT_PAYLOAD,
                    "the body does not decode with schema id " + id + ": " + e, e);
        }
        try {
            if (!decoder.isEnd()) {
                throw failure(topic, partition, offset, DecodeFailure.CORRUPT_PAYLOAD,
                        "bytes are left over after decoding with schema id " + id, null);
            }
        } catch (IOException e) {
            throw failure(topic, partition, offset, DecodeFailure.CORRUPT_PAYLOAD, e.toString(), e);
        }
        return value;
    }

    private DatumReader<T> reader(String topic, int partition, long offset, int id) {
        DatumReader<T> cached = readers.get(id);
        if (cached != null) {
            return cached;
        }
        Schema writer;
        try {
            writer = registry.schemaById(id);
        } catch (SchemaNotFoundException e) {
            throw failure(topic, partition, offset, DecodeFailure.UNKNOWN_SCHEMA_ID,
                    "schema id " + id + " is unknown to the registry at " + registry.config().describe(), e);
        }
        DatumReader<T> reader = readerSchema != null ? resolvingReader(topic, partition, offset, id, writer)
                : envelopeFields != null ? new GenericDatumReader<>(writer, envelopeProjection(topic, partition, offset, id, writer))
                : new GenericDatumReader<>(writer);
        readers.put(id, reader);
        return reader;
    }

    private Schema envelopeProjection(String topic, int partition, long offset, int id, Schema writer) {
        Schema.Field envelope = writer.getType() == Schema.Type.RECORD ? writer.getField("envelope") : null;
        List<Schema.Field> kept = new ArrayList<>();
        for (String name : envelopeFields) {
            Schema.Field field = envelope == null || envelope.schema().getType() != Schema.Type.RECORD ? null : envelope.schema().getField(name);
            if (field == null) {
                throw failure(topic, partition, offset, DecodeFailure.SCHEMA_MISMATCH, "writer schema id " + id + " ("
                        + writer.getFullName() + ") has no envelope record with the fields " + envelopeFields, null);
            }
            kept.add(new Schema.Field(name, withoutLogicalType(field.schema())));
        }
        Schema envelopeRecord = envelope.schema();
        Schema projected = Schema.createRecord(envelopeRecord.getName(), null, envelopeRecord.getNamespace(), false, kept);
        return Schema.createRecord(writer.getName(), null, writer.getNamespace(), false,
                List.of(new Schema.Field("envelope", projected)));
    }

    private static Schema withoutLogicalType(Schema schema) {
        return switch (schema.getType()) {
            case STRING, BYTES, INT, LONG -> schema.getLogicalType() == null ? schema : Schema.create(schema.getType());
            default -> schema;
        };
    }

    private DatumReader<T> resolvingReader(String topic, int partition, long offset, int id, Schema writer) {
        SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writer);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            String problems = compatibility.getResult().getIncompatibilities().stream()
                    .map(i -> i.getType() + " at " + i.getLocation() + (i.getMessage() == null ? "" : " (" + i.getMessage() + ")"))
                    .collect(Collectors.joining("; "));
            throw failure(topic, partition, offset, DecodeFailure.SCHEMA_MISMATCH,
                    "writer schema id " + id + " (" + writer.getFullName() + ") cannot be read as " + readerSchema.getFullName() + ": " + problems, null);
        }
        return new SpecificDatumReader<>(writer, readerSchema);
    }

    private static UndecodableRecordException failure(String topic, int partition, long offset, DecodeFailure failure,
                                                      String detail, Throwable cause) {
        return new UndecodableRecordException(topic, partition, offset, failure, detail, cause);
    }
}
