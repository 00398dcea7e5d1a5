package io.ballast.jobs.serde;

import java.io.IOException;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.util.InstantiationUtil;

/**
 * What a checkpoint records of an {@link AvroEventSerializer}: the event class and the schema the state
 * was written with. A restore with a changed class migrates when Avro can read the old schema as the
 * new one (a BACKWARD-compatible change) and is refused otherwise.
 */
public final class AvroEventSerializerSnapshot<T extends SpecificRecord> implements TypeSerializerSnapshot<T> {
    private static final int VERSION = 1;
    private Class<T> type;
    private String writtenSchema;

    /** For Flink's reflective restore. */
    public AvroEventSerializerSnapshot() {
    }

    AvroEventSerializerSnapshot(Class<T> type, String writtenSchema) {
        this.type = type;
        this.writtenSchema = writtenSchema;
    }

    @Override
    public int getCurrentVersion() {
        return VERSION;
    }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
        out.writeUTF(type.getName());
        // schemas can exceed writeUTF's 64 KB limit
        byte[] schema = writtenSchema.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(schema.length);
        out.write(schema);
    }

    @Override
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) throws IOException {
        type = InstantiationUtil.resolveClassByName(in, classLoader);
        byte[] schema = new byte[in.readInt()];
        in.readFully(schema);
        writtenSchema = new String(schema, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public TypeSerializer<T> restoreSerializer() {
        return new AvroEventSerializer<>(type, writtenSchema);
    }

    @Override
    public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> oldSnapshot) {
        if (!(oldSnapshot instanceof AvroEventSerializerSnapshot<T> old) || !old.type.getName().equals(type.getName())) {
            return TypeSerializerSchemaCompatibility.incompatible();
        }
        if (old.writtenSchema.equals(writtenSchema)) {
            return TypeSerializerSchemaCompatibility.compatibleAsIs();
        }
        Schema reader = new Schema.Parser().parse(writtenSchema);
        Schema writer = new Schema.Parser().parse(old.writtenSchema);
        boolean readable = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
                == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
        return readable ? TypeSerializerSchemaCompatibility.compatibleAfterMigration() : TypeSerializerSchemaCompatibility.incompatible();
    }
}
