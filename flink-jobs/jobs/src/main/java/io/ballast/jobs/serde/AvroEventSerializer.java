package io.ballast.jobs.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializes a generated Avro event class as a length-prefixed Avro binary record. Written with the
 * class's current schema; read with the schema it was written with (from a restored snapshot), so state
 * written by an older version of an event migrates by Avro's resolution rules.
 */
public final class AvroEventSerializer<T extends SpecificRecord> extends TypeSerializer<T> {
    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    /** The schema of the bytes this serializer reads: the class's own, or an older one from a snapshot. */
    private final String readSchema;
    private transient SpecificDatumWriter<T> writer;
    private transient SpecificDatumReader<T> reader;
    private transient BinaryEncoder encoder;
    private transient BinaryDecoder decoder;

    public AvroEventSerializer(Class<T> type) {
        this(type, SpecificData.get().getSchema(type).toString());
    }

    AvroEventSerializer(Class<T> type, String readSchema) {
        this.type = type;
        this.readSchema = readSchema;
    }

    Class<T> type() {
        return type;
    }

    Schema schema() {
        return SpecificData.get().getSchema(type);
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<T> duplicate() {
        // the encoder, decoder and buffers are per instance: not thread-safe, so each user gets its own
        return new AvroEventSerializer<>(type, readSchema);
    }

    @Override
    public T createInstance() {
        return null;
    }

    @Override
    public T copy(T from) {
        return from == null ? null : SpecificData.get().deepCopy(from.getSchema(), from);
    }

    @Override
    public T copy(T from, T reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(T record, DataOutputView target) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        encoder = EncoderFactory.get().directBinaryEncoder(bytes, encoder);
        writer().write(record, encoder);
        encoder.flush();
        target.writeInt(bytes.size());
        target.write(bytes.toByteArray());
    }

    @Override
    public T deserialize(DataInputView source) throws IOException {
        byte[] bytes = new byte[source.readInt()];
        source.readFully(bytes);
        decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
        return reader().read(null, decoder);
    }

    @Override
    public T deserialize(T reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        int length = source.readInt();
        target.writeInt(length);
        target.write(source, length);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AvroEventSerializer<?> s && s.type.equals(type) && s.readSchema.equals(readSchema);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + readSchema.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<T> snapshotConfiguration() {
        return new AvroEventSerializerSnapshot<>(type, schema().toString());
    }

    private SpecificDatumWriter<T> writer() {
        if (writer == null) {
            writer = new SpecificDatumWriter<>(schema());
        }
        return writer;
    }

    private SpecificDatumReader<T> reader() {
        if (reader == null) {
            reader = new SpecificDatumReader<>(new Schema.Parser().parse(readSchema), schema());
        }
        return reader;
    }
}
