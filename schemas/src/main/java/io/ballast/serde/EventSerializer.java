package io.ballast.serde;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records (specific or generic) in the Confluent wire format, registering each schema
 * under {@code <topic>-value} (or only looking it up when auto-registration is off). Schema ids are
 * cached per topic and schema, so the registry is called once per schema.
 *
 * <p>Built by Kafka from its class name, it reads {@code schema.registry.url} and
 * {@code auto.register.schemas} in {@link #configure}.
 */
public final class EventSerializer<T extends IndexedRecord> implements Serializer<T> {
    private static final ThreadLocal<Buffer> BUFFERS = ThreadLocal.withInitial(Buffer::new);
    private RegistryClient registry;
    private final Map<SubjectSchema, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();

    /** For Kafka's reflective construction; {@link #configure} must follow. */
    public EventSerializer() {
    }

    public EventSerializer(RegistryClient registry) {
        this.registry = registry;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry == null) {
            registry = RegistryClient.connect(RegistryConfig.fromClientConfigs(configs));
        }
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null; // a tombstone on a compacted topic
        }
        Schema schema = record.getSchema();
        int id = schemaId(topic + "-value", schema);
        Buffer buffer = BUFFERS.get();
        buffer.reset(id);
        try {
            buffer.encoder = EncoderFactory.get().binaryEncoder(buffer, buffer.encoder);
            writer(schema, record).write(record, buffer.encoder);
            buffer.encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode a " + schema.getFullName() + " for " + topic, e);
        }
        return buffer.toByteArray();
    }

    /**
     * A thread's reusable output: a growable array (no lock per byte, as {@link java.io.ByteArrayOutputStream}
     * takes) and a buffered Avro encoder reused from one record to the next.
     */
    private static final class Buffer extends OutputStream {
        private byte[] bytes = new byte[512];
        private int size;
        private BinaryEncoder encoder;

        void reset(int schemaId) {
            size = 0;
            ensure(WireFormat.HEADER_LENGTH);
            WireFormat.writeHeader(ByteBuffer.wrap(bytes, 0, WireFormat.HEADER_LENGTH), schemaId);
            size = WireFormat.HEADER_LENGTH;
        }

        @Override
        public void write(int b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        @Override
        public void write(byte[] source, int offset, int length) {
            ensure(length);
            System.arraycopy(source, offset, bytes, size, length);
            size += length;
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }
    }

    /** The id the registry gives {@code schema} under {@code subject}. */
    public int schemaId(String subject, Schema schema) {
        return ids.computeIfAbsent(new SubjectSchema(subject, schema), key -> registry.config().autoRegister()
                ? registry.register(subject, schema)
                : registry.idOf(subject, schema));
    }

    @SuppressWarnings("unchecked")
    private DatumWriter<Object> writer(Schema schema, IndexedRecord record) {
        return writers.computeIfAbsent(schema, s -> record instanceof SpecificRecord
                ? (DatumWriter<Object>) (DatumWriter<?>) new SpecificDatumWriter<>(s)
                : new GenericDatumWriter<>(s));
    }

    private record SubjectSchema(String subject, Schema schema) {
    }
}
