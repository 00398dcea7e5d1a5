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
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records (specific or generic) in the Confluent wire format, registering each schema
 * under {@code <topic>-value} (or only looking it up when auto-registration is off). Schema ids are
 * cached per topic and schema, so the registry is called once per schema. The body is written by a
 * {@link CompiledDatumWriter} of the schema, or by Avro's own writer for a value the compiled one does not take
 * (Avro's error then says what does not fit).
 *
 * <p>Built by Kafka from its class name, it reads {@code schema.registry.url} and
 * {@code auto.register.schemas} in {@link #configure}.
 */
public final class EventSerializer<T extends IndexedRecord> implements Serializer<T> {
    private static final ThreadLocal<Buffer> BUFFERS = ThreadLocal.withInitial(Buffer::new);
    private RegistryClient registry;
    private final Map<TopicSchema, Target> targets = new ConcurrentHashMap<>();
    private final Map<ModelSchema, Writers> writers = new ConcurrentHashMap<>();

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
        Target target = target(topic, schema, record);
        Buffer buffer = BUFFERS.get();
        try {
            try {
                return buffer.encode(target.schemaId(), target.writers().compiled(), record);
            } catch (RuntimeException refused) {
                // the value does not fit its schema: Avro's own writer says where, in its words
                return buffer.encode(target.schemaId(), target.writers().avro(), record);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode a " + schema.getFullName() + " for " + topic, e);
        }
    }

    /**
     * A thread's reusable output: a growable array (no lock per byte, as {@link java.io.ByteArrayOutputStream}
     * takes) and a buffered Avro encoder reused from one record to the next.
     */
    private static final class Buffer extends OutputStream {
        private byte[] bytes = new byte[512];
        private int size;
        private BinaryEncoder encoder;

        /** The framed encoding of {@code record}; on a failure the encoder's buffered bytes are dropped with it. */
        byte[] encode(int schemaId, DatumWriter<Object> writer, Object record) throws IOException {
            size = 0;
            ensure(WireFormat.HEADER_LENGTH);
            WireFormat.writeHeader(ByteBuffer.wrap(bytes, 0, WireFormat.HEADER_LENGTH), schemaId);
            size = WireFormat.HEADER_LENGTH;
            BinaryEncoder reused = encoder;
            encoder = null;
            reused = EncoderFactory.get().binaryEncoder(this, reused);
            writer.write(record, reused);
            reused.flush();
            encoder = reused;
            return Arrays.copyOf(bytes, size);
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
    }

    /**
     * The schema id and writers of {@code schema} on {@code topic}: one lookup per record, keyed by the caller's own
     * topic string (its hash is cached; a subject string built per record had its hash computed per record).
     */
    private Target target(String topic, Schema schema, IndexedRecord record) {
        // a generated class and a generic record of one schema need different writers (an Instant against a long)
        boolean specific = record instanceof SpecificRecord;
        TopicSchema key = new TopicSchema(topic, schema, specific);
        Target known = targets.get(key);
        return known != null ? known : targets.computeIfAbsent(key, k -> new Target(schemaId(topic + "-value", schema),
                writers.computeIfAbsent(new ModelSchema(schema, specific), m -> specific
                        ? new Writers(CompiledDatumWriter.of(schema, SpecificData.getForSchema(schema)), new SpecificDatumWriter<>(schema))
                        : new Writers(CompiledDatumWriter.of(schema, GenericData.get()), new GenericDatumWriter<>(schema)))));
    }

    private int schemaId(String subject, Schema schema) {
        return registry.config().autoRegister() ? registry.register(subject, schema) : registry.idOf(subject, schema);
    }

    /** A schema's writers: the compiled one, and Avro's for the error of a value that does not fit. */
    private record Writers(DatumWriter<Object> compiled, DatumWriter<Object> avro) {
    }

    private record Target(int schemaId, Writers writers) {
    }

    private record TopicSchema(String topic, Schema schema, boolean specific) {
    }

    private record ModelSchema(Schema schema, boolean specific) {
    }
}
